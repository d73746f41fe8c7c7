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

export function markdown(value: string): Markdown {
  // Markdown renderers pass raw HTML through; entities keep `<script>` as visible text. Links
  // whose target is script (`[x](javascript:…)`) lose their link syntax and show as text.
  const text = value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(SCRIPT_LINK, '$1\\(')
    .replace(SCRIPT_LINK_DEFINITION, '$1\\:');
  return closeFences(text) as Markdown;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * A code fence left open runs to the end of the document (CommonMark 4.5), so text appended after
 * it (the rest of the error reference) would show as code. The fence is closed where the text
 * ends, which is where the renderer would close it anyway when the text stands alone.
 */
function closeFences(text: string): string {
  let open: { indent: string; fence: string } | undefined;
  for (const line of text.split('\n')) {
    if (open) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1]![0] === open.fence[0] && close[1]!.length >= open.fence.length) open = undefined;
      continue;
    }
    const start = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot hold a backtick (that line is a code span instead).
    if (start && !(start[2]![0] === '`' && start[3]!.includes('`'))) open = { indent: start[1]!, fence: start[2]! };
  }
  return open ? `${text}\n${open.indent}${open.fence}` : text;
}

/**
 * Markdown on one line (a heading, the text after a label): like `markdown`, with line breaks
 * collapsed to spaces so no list or block can start. Pipes stay as written: outside a table
 * `\|` would show its backslash.
 */
export function markdownInline(value: string): MarkdownInline {
  // A match starts only where a run of blanks starts: `[ \t]*\n` tried at every blank of a long run
  // without a line break is quadratic.
  return markdown(value).replace(/(?<![ \t])[ \t]*\n[ \t\n]*/g, ' ').trim() as MarkdownInline;
}

export function markdownCell(value: string): MarkdownCell {
  return markdown(value).replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim() as unknown as MarkdownCell;
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

/** A fenced Markdown code block whose fence no backtick run inside can close. */
export function markdownFence(text: string, lang = ''): Markdown {
  const longest = Math.max(2, longestRun(text, '`'));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang.replace(/[^a-z0-9+-]/gi, '')}\n${text.replace(/[\u2028\u2029]/g, ' ')}\n${fence}` as Markdown;
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
