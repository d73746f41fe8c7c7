/**
 * The one place where spec strings become text in a target language. Every string in a contract
 * is untrusted (swagger-codegen CVE-2016-5641, openapi-typescript-codegen #2809 shipped code
 * execution through descriptions), so view models only hold these branded results and templates
 * print them verbatim.
 */
declare const brand: unique symbol;
declare const literal: unique symbol;
declare const inline: unique symbol;
type Escaped<Target extends string> = string & { readonly [brand]: Target };

/** A complete TypeScript/JavaScript string literal, quotes included (valid wherever code is). */
export type TsLiteral = TsCode & { readonly [literal]: true };
/** Text safe inside a `/** … *\/` comment, one logical paragraph per line. */
export type TsComment = Escaped<'ts-comment'>;
/** A TypeScript identifier or type expression assembled only from escaped parts. */
export type TsCode = Escaped<'ts-code'>;
/**
 * Markdown text whose raw HTML is neutralised (Markdown syntax itself still renders): blocks,
 * lists and paragraphs included, so it goes where a block may stand, after a blank line.
 */
export type Markdown = Escaped<'markdown'>;
/** Markdown on one line, for headings and running text (and wherever Markdown may stand). */
export type MarkdownInline = Markdown & { readonly [inline]: true };
/** One Markdown table cell: no pipes or line breaks can escape it. Outside a table `\|` shows. */
export type MarkdownCell = Escaped<'markdown-cell'>;
/** HTML text or attribute value. */
export type Html = Escaped<'html'>;

/**
 * Characters that change how source text looks without showing themselves: C1 controls, line and
 * paragraph separators, and every format character (Unicode Cf: the bidi embeddings, overrides and
 * isolates U+202A–202E and U+2066–2069 of Trojan Source, CVE-2021-42574, zero-width characters, the
 * BOM, tag characters).
 */
const INVISIBLE = /[\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

/**
 * `\uXXXX` for each invisible character (astral ones as their surrogate pair, which JSON reads
 * too). In TypeScript source the escape means the same character in strings, templates, regular
 * expressions and identifiers, and shows as text in comments, so it is safe over a whole file.
 */
function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, unicodeEscape);
}

const escapes = new Map<string, string>();
/** `\uXXXX` per UTF-16 unit (`\xXX` below U+0100 with `short`), cached: a hostile text repeats a few characters a million times. */
function unicodeEscape(c: string, short = false): string {
  const key = short ? `x${c}` : c;
  let escaped = escapes.get(key);
  if (escaped === undefined) {
    escaped = '';
    for (let i = 0; i < c.length; i++) {
      const unit = c.charCodeAt(i);
      escaped += short && unit <= 0xff ? `\\x${unit.toString(16).padStart(2, '0')}` : `\\u${unit.toString(16).padStart(4, '0')}`;
    }
    escapes.set(key, escaped);
  }
  return escaped;
}

/** Generated TypeScript from another tool (openapi-typescript) with invisible characters escaped. */
export function tsSource(text: string): string {
  return escapeInvisible(text);
}

export function tsString(value: string): TsLiteral {
  // JSON is a subset of JS string syntax; U+2028/9 and format characters are escaped too, so
  // line-oriented tools never see a line break inside the literal and reviewers see every character.
  return escapeInvisible(JSON.stringify(value)) as TsLiteral;
}

/** A JSON value as a TypeScript expression (object keys and strings escaped like tsString). */
export function tsJson(value: unknown, indent = 0): TsCode {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  // In an object literal `"__proto__": v` sets the prototype; a computed key makes it a member, as
  // it is in the JSON. Pretty-printed JSON puts every key first on its line, where no string can be.
  const escaped = escapeInvisible(text).replace(/^( *)"__proto__":/gm, '$1["__proto__"]:');
  return (indent ? escaped.replace(/\n/g, `\n${' '.repeat(indent)}`) : escaped) as TsCode;
}

/** `indent` is the whitespace before the comment's `/**`, so continuation lines line up. */
export function tsComment(value: string, indent = ''): TsComment {
  // Control characters go before `*/` is escaped: removing one later could join `*` and `/` again.
  // Lines are trimmed one by one and an empty line gets no ` ` after its `*`: a regex over the
  // joined text (` +$` per line) backtracks quadratically on long runs of spaces.
  const lines = escapeInvisible(value.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f]/g, ''))
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((l) => l.trimEnd());
  return lines.map((l, i) => (i === 0 ? l : l === '' ? `\n${indent} *` : `\n${indent} * ${l}`)).join('') as TsComment;
}

/**
 * Text as a TypeScript template literal without substitutions: cooking it gives `text` back
 * (backslashes, backticks, `${` and carriage returns escaped; other line breaks kept, which
 * template literals allow).
 */
export function tsTemplate(text: string): TsLiteral {
  return `\`${escapeInvisible(text.replace(/[\\`\r]|\$\{/g, (m) => (m === '\r' ? '\\r' : `\\${m}`)))}\`` as TsLiteral;
}

/** A list of strings as a TypeScript array literal (`undefined` when there is no list). */
export function tsStringList(values: readonly string[] | undefined): TsCode {
  return (values ? `[${values.map((v) => tsString(v)).join(', ')}]` : 'undefined') as TsCode;
}

/** Strings as a TypeScript union of literal types (`never` when there are none). */
export function tsStringUnion(values: readonly string[]): TsCode {
  return (values.length ? values.map((v) => tsString(v)).join(' | ') : 'never') as TsCode;
}

/** Code built from parts that are already safe (identifiers from `identifier`, literals, keywords). */
export function tsCode(code: string): TsCode {
  return code as TsCode;
}


export function html(value: string): Html {
  // Plain string replacements: several times faster than one callback per character.
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/`/g, '&#96;') as Html;
}

/**
 * A link destination that runs script: `javascript:`, `vbscript:` or `data:`, after optional
 * whitespace and `<`, as a lookahead. `(?=(\s*))\N` is an atomic `\s*` (JavaScript has no possessive
 * quantifiers): two plain `\s*` around `<?` backtrack quadratically over a long run of spaces.
 */
const scriptTarget = (group: number) => {
  const blanks = (n: number) => `(?=(\\s*))\\${n}`;
  return `(?=${blanks(group)}<?${blanks(group + 1)}(?:javascript|vbscript|data)${blanks(group + 2)}:)`;
};
/** `](javascript:…)`: the `(` gets a backslash, so the text is no longer a link. */
const SCRIPT_LINK = new RegExp(String.raw`(\](?=(\s*))\2)\(` + scriptTarget(3), 'gi');
/**
 * `[label]: javascript:…`: the `:` gets a backslash, so it is no longer a link reference definition.
 * A label holds no unescaped brackets and at most 999 characters (CommonMark 4.7); a `[` after a
 * backslash starts none, so a run of `\[` is not scanned once per bracket.
 */
const SCRIPT_LINK_DEFINITION = new RegExp(String.raw`((?<!\\)\[(?:[^\[\]\\\n]|\\[^\n]){1,999}\]):` + scriptTarget(2), 'gi');

/** Redoc 3 renders Markdown through Markdoc, which runs `{% … %}` tags anywhere outside code spans. */
const MARKDOC_TAG = /\{(?=%)/g;
/** Markdoc processes tags inside fences too unless the fence opts out. */
const MARKDOC_VERBATIM = ' {% process=false %}';

/** Prose (no code): raw HTML becomes entities, script links lose their link syntax, Markdoc tags show. */
function markdownProse(text: string): string {
  return text
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(SCRIPT_LINK, '$1\\(')
    .replace(SCRIPT_LINK_DEFINITION, '$1\\:')
    .replace(MARKDOC_TAG, '\\{');
}

/**
 * Markdown text whose raw HTML, script links and Markdoc tags are neutralised, escaped once for
 * where each part lands: prose gets entities; code spans and fences show their text as written
 * (an entity there would show as `&lt;`), fences opt out of Markdoc.
 */
export function markdown(value: string): Markdown {
  const lines: string[] = [];
  let prose: string[] = [];
  let open: { indent: string; fence: string } | undefined;
  const flush = () => {
    if (prose.length) lines.push(markdownBlocks(prose));
    prose = [];
  };
  for (const line of value.replace(/\r\n?|[\u2028\u2029]/g, '\n').split('\n')) {
    if (open) {
      lines.push(line);
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1]![0] === open.fence[0] && close[1]!.length >= open.fence.length) open = undefined;
      continue;
    }
    const start = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot hold a backtick (that line is a code span instead).
    if (start && !(start[2]![0] === '`' && start[3]!.includes('`'))) {
      flush();
      open = { indent: start[1]!, fence: start[2]! };
      lines.push(`${start[1]}${start[2]}${start[3]!.replace(/[{}]/g, '')}${MARKDOC_VERBATIM}`);
      continue;
    }
    prose.push(line);
  }
  flush();
  // A fence left open runs to the end of the document (CommonMark 4.5), so text appended after it
  // (the rest of the error reference) would show as code: it is closed where the text ends.
  if (open) lines.push(`${open.indent}${open.fence}`);
  return lines.join('\n') as Markdown;
}

/** Prose lines outside fences; a blank line always ends a paragraph, so each block between blank lines is judged alone. */
function markdownBlocks(prose: readonly string[]): string {
  const blocks: string[] = [];
  let block: string[] = [];
  for (const line of prose) {
    if (/^[ \t]*$/.test(line)) {
      if (block.length) blocks.push(markdownSpans(block));
      blocks.push(line);
      block = [];
    } else block.push(line);
  }
  if (block.length) blocks.push(markdownSpans(block));
  return blocks.join('\n');
}

/**
 * Lines of one paragraph-like block: code spans kept as written, the rest escaped by
 * `markdownProse`. A span is kept only where no renderer could read it otherwise: every backtick
 * run of each line pairs up within that line (CommonMark pairs a run with the next run of the same
 * length), no run is backslash-escaped, and in a table no span holds a `|` (GFM splits a row into
 * cells first). Otherwise the whole block is prose: a code span in it may then show an entity,
 * never run HTML.
 */
function markdownSpans(lines: readonly string[]): string {
  const table = lines.some((l) => TABLE_DELIMITER_ROW.test(l));
  const kept: string[] = [];
  for (const line of lines) {
    const spans = lineSpans(line, table);
    if (spans === undefined) return markdownProse(lines.join('\n'));
    kept.push(spans);
  }
  return kept.join('\n');
}

/** A GFM table's delimiter row (`| --- | :-: |`), read without its spaces: without one a block is no table. */
const TABLE_DELIMITER_ROW = { test: (line: string) => /^\|?:?-+:?(?:\|:?-+:?)*\|?$/.test(line.replace(/[ \t]+/g, '')) };

/** One line with its code spans kept as written, or `undefined` when a span could be read otherwise. */
function lineSpans(line: string, table: boolean): string | undefined {
  const runs = [...line.matchAll(/`+/g)].map((m) => {
    let slashes = 0;
    while (line[m.index! - 1 - slashes] === '\\') slashes++;
    return { at: m.index!, length: m[0].length, escaped: slashes % 2 === 1 };
  });
  // For each run, the index of the next run of the same length: one pass from the end.
  const next = new Array<number>(runs.length).fill(-1);
  const seen = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    next[i] = seen.get(runs[i]!.length) ?? -1;
    seen.set(runs[i]!.length, i);
  }
  let out = '';
  let done = 0;
  for (let i = 0; i < runs.length; i = next[i]! + 1) {
    const run = runs[i]!;
    if (run.escaped || next[i]! < 0) return undefined;
    const close = runs[next[i]!]!;
    const span = line.slice(run.at, close.at + close.length);
    if (table && span.includes('|')) return undefined;
    out += markdownProse(line.slice(done, run.at)) + span;
    done = close.at + close.length;
  }
  return out + markdownProse(line.slice(done));
}

/** Markdown on one line: line breaks become spaces first, so the whole text is judged as one line (no fences, no blocks). */
function markdownLine(value: string, breaks: RegExp): string {
  const line = value.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(breaks, ' ');
  // A cell's pipes are all escaped after this, so its spans stay whole.
  return lineSpans(line, false) ?? markdownProse(line);
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * Markdown on one line (a heading, the text after a label): like `markdown`, with line breaks
 * collapsed to spaces so no list or block can start. Pipes stay as written: outside a table
 * `\|` would show its backslash.
 */
export function markdownInline(value: string): MarkdownInline {
  // A match starts only where a run of blanks starts: `[ \t]*\n` tried at every blank of a long run
  // without a line break is quadratic.
  return markdownLine(value, /(?<![ \t])[ \t]*\n[ \t\n]*/g).trim() as MarkdownInline;
}

export function markdownCell(value: string): MarkdownCell {
  return markdownLine(value, /\n+/g).replace(/\|/g, '\\|').trim() as unknown as MarkdownCell;
}

/**
 * Markdown punctuation that can start syntax inside a line (`_` only away from letters and digits,
 * where it cannot emphasise; parentheses too, so not even an escaped `[x](y)` keeps a link's shape).
 */
const MARKDOWN_ACTIVE = /[\\`*[\]()~|]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * Plain text in a table cell, shown exactly as written: Markdown punctuation is backslash-escaped
 * and HTML characters become entities, so a value like `*` or `[a](b)` is not formatting.
 */
export function markdownTextCell(value: string): MarkdownCell {
  return value
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(MARKDOWN_ACTIVE, '\\$&')
    .replace(MARKDOC_TAG, '\\{')
    .trim() as MarkdownCell;
}

/**
 * Inline code in Markdown: a code span whose fence is longer than any backtick run inside. Code
 * spans show raw HTML and entities as text, so nothing else is escaped (an entity would show as
 * `&lt;`); line breaks become spaces.
 */
export function markdownCode(value: string): MarkdownInline {
  const clean = value.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = longestRun(clean, '`');
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}` as MarkdownInline;
}

/** Inline code in a table cell: GFM splits cells on pipes even inside code, and drops the `\`. */
export function markdownCodeCell(value: string): MarkdownCell {
  return markdownCode(value).replace(/\|/g, '\\|') as unknown as MarkdownCell;
}

/** A slug for HTML ids and links: only [A-Za-z0-9_-]. */
export function anchor(prefix: string, value: string): Html {
  return `${prefix}${value.replace(/[^A-Za-z0-9_-]+/g, '-')}` as Html;
}

/**
 * A fenced Markdown code block whose fence no backtick run inside can close. Markdoc runs `{% %}`
 * tags inside fences too: in the JSON and JavaScript errata writes, `{%` can only stand inside a
 * string literal, where `\u007b` is the same character; other code opts out of Markdoc.
 */
export function markdownFence(text: string, lang = ''): Markdown {
  const longest = Math.max(2, longestRun(text, '`'));
  const fence = '`'.repeat(longest + 1);
  const info = lang.replace(/[^a-z0-9+-]/gi, '');
  const literal = info === 'json' || info === 'js';
  const code = text.replace(/[\u2028\u2029]/g, ' ');
  return `${fence}${info}${literal ? '' : MARKDOC_VERBATIM}\n${literal ? code.replace(MARKDOC_TAG, '\\u007b') : code}\n${fence}` as Markdown;
}

/**
 * One line of plain text (a path, a command, a page title): control characters, line and
 * paragraph separators and invisible format characters become spaces, so it stays one line and
 * shows what it says. The target's own escaping (HTML, Markdown, a comment) still applies.
 */
export function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu, ' ');
}

/**
 * Text on one line of a line-oriented stream, for `target`: a terminal (line breaks and tabs
 * become spaces, every other control character is shown escaped by `terminal`), or a GitHub
 * Actions workflow command, whose data escapes `%`, CR and LF and whose property values also `:`
 * and `,` (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts).
 */
export function lineText(value: string, target: 'terminal' | 'github-data' | 'github-property'): string {
  if (target === 'terminal') return terminal(value.replace(/[\t\r\n\u2028\u2029]/g, ' '));
  const pattern = target === 'github-property' ? /[%\r\n:,]|[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu : /[%\r\n]|[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;
  return value.replace(pattern, (c) => {
    if (/[%\r\n:,]/.test(c)) return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    return /[\t\u2028\u2029]/.test(c) ? ' ' : '';
  });
}

/** Control characters but line feed and tab, C1 controls, separators and format characters. */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

/**
 * Text for a terminal: every control character but line feed and tab is shown as an escape
 * (`\x1b`, `\x0d`, `\u202e`), so text from a contract cannot move the cursor, rewrite a line,
 * recolour or hide output, set the window title or reorder what is shown. Idempotent: its output
 * holds no character it escapes.
 */
export function terminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => unicodeEscape(c, true));
}

/** The longest run of `char` in `text` (a loop: spreading a million matches into Math.max overflows the stack). */
function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text[i] === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
