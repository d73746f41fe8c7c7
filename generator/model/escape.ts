/**
 * The one place where spec strings become text in a target language. Every string in a contract
 * is untrusted (swagger-codegen CVE-2016-5641, openapi-typescript-codegen #2809 shipped code
 * execution through descriptions), so view models only hold these branded results and templates
 * print them verbatim.
 */
declare const brand: unique symbol;
declare const literal: unique symbol;
type Escaped<Target extends string> = string & { readonly [brand]: Target };

/** A complete TypeScript/JavaScript string literal, quotes included (valid wherever code is). */
export type TsLiteral = TsCode & { readonly [literal]: true };
/** Text safe inside a `/** … *\/` comment, one logical paragraph per line. */
export type TsComment = Escaped<'ts-comment'>;
/** A TypeScript identifier or type expression assembled only from escaped parts. */
export type TsCode = Escaped<'ts-code'>;
/** Markdown text whose raw HTML is neutralised (Markdown syntax itself still renders). */
export type Markdown = Escaped<'markdown'>;
/** One Markdown table cell: no pipes or line breaks can escape it. */
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
  return value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
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
  return value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!)
    .replace(SCRIPT_LINK, '$1\\($2')
    .replace(SCRIPT_LINK_DEFINITION, '$1\\:$2') as Markdown;
}

export function markdownCell(value: string): MarkdownCell {
  return markdown(value).replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim() as unknown as MarkdownCell;
}

/**
 * Inline code in Markdown: a code span whose fence is longer than any backtick run inside. Code
 * spans show raw HTML and entities as text, so nothing else is escaped (an entity would show as
 * `&lt;`); line breaks become spaces.
 */
export function markdownCode(value: string): Markdown {
  const clean = value.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}` as Markdown;
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
