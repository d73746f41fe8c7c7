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

const LINE_SEPARATORS = /[\u2028\u2029]/g;

export function tsString(value: string): TsLiteral {
  // JSON is a subset of JS string syntax; U+2028/9 are escaped too so older parsers and
  // line-oriented tools never see a line break inside the literal.
  return JSON.stringify(value).replace(LINE_SEPARATORS, (c) => `\\u${c.charCodeAt(0).toString(16)}`) as TsLiteral;
}

/** A JSON value as a TypeScript expression (object keys and strings escaped like tsString). */
export function tsJson(value: unknown, indent = 0): TsCode {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  const escaped = text.replace(LINE_SEPARATORS, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return (indent ? escaped.replace(/\n/g, `\n${' '.repeat(indent)}`) : escaped) as TsCode;
}

/** `indent` is the whitespace before the comment's `/**`, so continuation lines line up. */
export function tsComment(value: string, indent = ''): TsComment {
  // Control characters go before `*/` is escaped: removing one later could join `*` and `/` again.
  return value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((l) => l.trimEnd())
    .join(`\n${indent} * `)
    .replace(/ +$/gm, '') as TsComment;
}

/**
 * Text as a TypeScript template literal without substitutions: cooking it gives `text` back
 * (backslashes, backticks, `${` and carriage returns escaped; other line breaks kept, which
 * template literals allow).
 */
export function tsTemplate(text: string): TsLiteral {
  return `\`${text.replace(/[\\`\r]|\$\{/g, (m) => (m === '\r' ? '\\r' : `\\${m}`))}\`` as TsLiteral;
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

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function html(value: string): Html {
  return value.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]!) as Html;
}

const SCRIPT_LINK = /(\]\s*)\((\s*<?\s*(?:javascript|vbscript|data)\s*:)/gi;
const SCRIPT_LINK_DEFINITION = /^(\s*\[[^\]\n]+\]):(\s*<?\s*(?:javascript|vbscript|data)\s*:)/gim;

export function markdown(value: string): Markdown {
  // Markdown renderers pass raw HTML through; entities keep `<script>` as visible text. Links
  // whose target is script (`[x](javascript:…)`) lose their link syntax and show as text.
  const text = value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!)
    .replace(SCRIPT_LINK, '$1\\($2')
    .replace(SCRIPT_LINK_DEFINITION, '$1\\:$2');
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
  return markdown(value).replace(/[ \t]*\n+[ \t]*/g, ' ').trim() as MarkdownInline;
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
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!)
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
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
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
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang.replace(/[^a-z0-9+-]/gi, '')}\n${text.replace(/[\u2028\u2029]/g, ' ')}\n${fence}` as Markdown;
}

/**
 * Text on one line of a line-oriented stream, for `target`: a terminal (control characters,
 * among them the ESC of colour and cursor sequences, dropped; line breaks become spaces), or a
 * GitHub Actions workflow command, whose data escapes `%`, CR and LF and whose property values
 * also `:` and `,` (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts).
 */
export function lineText(value: string, target: 'terminal' | 'github-data' | 'github-property'): string {
  const github = target !== 'terminal';
  const pattern = target === 'github-property' ? /[%\r\n:,]|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g : github ? /[%\r\n]|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g : /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
  return value.replace(pattern, (c) => {
    if (github && /[%\r\n:,]/.test(c)) return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    return /[\t\r\n\u2028\u2029]/.test(c) ? ' ' : '';
  });
}
