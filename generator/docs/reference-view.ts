import { anchor, markdown, markdownCell, markdownCode, markdownCodeCell, markdownFence, markdownInline, markdownTextCell, tsString, type Html, type Markdown, type MarkdownCell, type MarkdownInline } from '../model/escape';
import { getAt, toPointer } from '../model/pointer';
import { isRecord, type Resolve } from '../model/resolve';
import type { CatalogCode, ErrorContract, ErrorResponse, Operation } from '../model/types';

/**
 * `#error-QUOTA_EXCEEDED`, the only way an error code becomes an id or a link target (the script
 * in templates/docs/page.hbs recognises these links by the same prefix). Codes match
 * CODE_PATTERN, so `anchor` leaves them as written.
 */
export function codeAnchor(code: string): Html {
  return anchor('error-', code);
}

/**
 * The tag that holds the error reference (generator/docs/docs-contract.ts). Redoc indexes a tag's
 * Markdown headings for its search box and gives each one a route, `#/error-reference/<heading
 * id>`; it does neither for the headings of `info.description`. templates/docs/page.hbs routes
 * `#error-CODE` there by the same name.
 */
export const REFERENCE_TAG = 'error-reference';

/**
 * The id of a code's heading, `error-quota_exceeded`: Redoc lower-cases the routes it makes from
 * heading ids, so the id is written lower-case and the code's route is
 * `#/error-reference/error-quota_exceeded` (what page.hbs hands the router for `#error-CODE`).
 */
export function codeHeadingId(code: string): Html {
  return anchor('error-', code.toLowerCase());
}

/** A percent-encoded URL fragment part: nothing in it can end a Markdown link or start markup. */
function fragmentPart(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The address of an operation in Redoc 3: its Redoc 2 form (`#operation/<operationId>`, or
 * `#paths/<path as a pointer token>/<method>` without one), which Redoc resolves itself to the
 * operation's route (a route ending in the operation's slug) on load and on click.
 */
export function operationHref(op: Operation): Html {
  const target = op.operationId !== undefined ? `operation/${fragmentPart(op.operationId)}` : `paths/${fragmentPart(toPointer([op.path]).slice(1))}/${op.method}`;
  return `#${target}` as Html;
}

/** `[text](#anchor)` in a table cell, from parts that are already escaped. */
function linkCell(text: MarkdownCell, href: string): MarkdownCell {
  return `[${text}](${href})` as MarkdownCell;
}

/*
 * The view models of templates/docs/*.md.hbs. Every field is typed by the context its template
 * prints it in: `MarkdownCell` inside a table row, `MarkdownInline` in a heading or after a
 * label, `Markdown` where a block may stand, `Html` in the raw `<h3>`. Handing a value escaped
 * for one context to another is a type error.
 */

/** A code linked to its entry, in running text. */
export interface CodeLinkView {
  code: MarkdownInline;
  anchor: Html;
}

/** A code linked to its entry, in a table cell. */
export interface CodeLinkCellView {
  code: MarkdownCell;
  anchor: Html;
}

/** A row of the envelope table: the member as the contract names it, where it is, what it is for. */
export interface EnvelopeFieldView {
  name: MarkdownCell;
  pointer: MarkdownCell;
  meaning: MarkdownCell;
}

/** A link to an operation, in running text. */
export interface OperationLinkView {
  label: MarkdownInline;
  href: Html;
}

/**
 * A row of "Errors on any request": a code no operation declares, at one status. Status, Code
 * (linked), [Message], Description, How to fix: as `ReferenceView.unroutedColumns`.
 */
export interface UnroutedView {
  cells: MarkdownCell[];
}

/** A row of the status overview. */
export interface StatusView {
  status: MarkdownCell;
  meaning: MarkdownCell;
  codes: CodeLinkCellView[];
}

/** A row of a code's `meta` table. */
export interface MetaFieldView {
  name: MarkdownCell;
  type: MarkdownCell;
  required: MarkdownCell;
  description: MarkdownCell;
}

/** A code's row in its category table: the code (linked), then the table's other columns. */
export interface CodeRowView {
  code: MarkdownCell;
  status: MarkdownCell;
  description: MarkdownCell;
  fix: MarkdownCell;
  /** Code, Status, [Message], Description, How to fix, [Field]: as the table's columns. */
  cells: MarkdownCell[];
}

/** One catalog code: its row in the category table and its own entry under it. */
export interface CodeEntryView {
  anchor: Html;
  /** The Markdoc id of the code's heading, which names its route in Redoc. */
  headingId: Html;
  row: CodeRowView;
  heading: MarkdownInline;
  status: MarkdownInline;
  retry: MarkdownInline;
  since: MarkdownInline | undefined;
  notes: MarkdownInline | undefined;
  deprecated: boolean;
  /** What the server sends as the message by default. */
  message: MarkdownInline | undefined;
  /** The RFC 9457 problem `type` of the code (its address in the published reference). */
  type: MarkdownInline | undefined;
  /** The request field the code is about, when its meta schema pins `field` with a `const`. */
  field: MarkdownInline | undefined;
  description: Markdown;
  fix: Markdown;
  meta: MetaFieldView[];
  usedBy: OperationLinkView[];
  /** Statuses at which any request can get the code (unrouted errors). */
  anyRequest: MarkdownInline | undefined;
  /** Whether the entry says what returns the code: operations, any request, or both. */
  returnedBy: boolean;
}

export interface CategoryView {
  title: MarkdownInline;
  description: Markdown | undefined;
  columns: MarkdownCell[];
  codes: CodeEntryView[];
}

/** templates/docs/error-reference.md.hbs */
export interface ReferenceView {
  mediaType: MarkdownInline;
  example: Markdown;
  handling: Markdown;
  fields: EnvelopeFieldView[];
  /** The envelope member that holds each code's details (`meta`, `details`, …), as a table header. */
  metaName: MarkdownCell;
  /** `https://docs.example.com/errors#error-` when the contract publishes its reference. */
  typeBase: MarkdownInline | undefined;
  unroutedColumns: MarkdownCell[];
  unrouted: UnroutedView[];
  /** Redoc's route to the "Errors on any request" section. */
  unroutedHref: Html;
  requestIdHeader: MarkdownInline | undefined;
  requestIdBody: MarkdownInline | undefined;
  statuses: StatusView[];
  retry: { after: CodeLinkView[]; backoff: CodeLinkView[] };
  categories: CategoryView[];
  /** The envelopes under `x-errata.envelopes`: some responses' bodies have another shape. */
  otherEnvelopes: OtherEnvelopeView[];
}

/** An envelope besides the default one: its members, the code it fixes, the codes sent in it. */
export interface OtherEnvelopeView {
  name: MarkdownInline;
  mediaType: MarkdownInline;
  fixedCode: CodeLinkView | undefined;
  fields: EnvelopeFieldView[];
  codes: CodeLinkView[];
}

/** A row of an operation's "Possible errors" table. */
export interface OperationErrorRowView {
  status: MarkdownCell;
  code: MarkdownCell;
  anchor: Html;
  when: MarkdownCell;
}

/** templates/docs/operation-errors.md.hbs */
export interface OperationErrorsView {
  rows: OperationErrorRowView[];
}

const RETRY_TEXT = { none: 'Do not retry', backoff: 'Retry with exponential backoff', after: 'Retry after the `Retry-After` delay' } as const;

/** A property of a code's `meta` schema, as the contract writes it (`$ref`s followed). */
interface MetaField {
  name: string;
  schema: unknown;
  required: boolean;
}

/** Reads a code's `meta` schema from the bundled document, whose descriptions are not yet escaped. */
function metaFieldsOf(c: CatalogCode, resolve: Resolve): MetaField[] {
  const schema = resolve(c.meta);
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, raw]) => ({ name, schema: resolve(raw), required: required.has(name) }));
}

/** The request field a code is about: its meta schema's `field` property pinned with `const`. */
function pinnedField(fields: readonly MetaField[]): string | undefined {
  const field = fields.find((f) => f.name === 'field')?.schema;
  return isRecord(field) && typeof field.const === 'string' ? field.const : undefined;
}

function metaFieldView(field: MetaField, resolve: Resolve): MetaFieldView {
  const prop = field.schema;
  return {
    name: markdownCodeCell(field.name),
    // Enum and const values are data: shown as written, not read as Markdown.
    type: markdownTextCell(describeType(prop, resolve)),
    required: markdownCell(field.required ? 'yes' : 'no'),
    description: markdownCell(isRecord(prop) && typeof prop.description === 'string' ? prop.description : ''),
  };
}

function describeType(schema: unknown, resolve: Resolve): string {
  if (!isRecord(schema)) return 'any';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : 'object';
  if (type === 'array') return `array of ${describeType(resolve(schema.items), resolve)}`;
  return typeof schema.format === 'string' ? `${type} (${schema.format})` : type;
}

/** `body.error?.code` for the pointer `/error/code`; tokens that are not identifiers become string keys. */
function accessor(tokens: readonly string[]): string {
  const step = (t: string, i: number) => {
    const plain = /^[A-Za-z_$][\w$]*$/.test(t);
    if (i === 0) return plain ? `.${t}` : `[${tsString(t)}]`;
    return `?.${plain ? t : `[${tsString(t)}]`}`;
  };
  return `body${tokens.map(step).join('')}`;
}

/**
 * A fetch example that branches on the code, like the one readers copy from a hand-written error
 * page, but built from this contract's envelope so it reads the right fields: one code that asks
 * for `Retry-After`, one with `meta`, and the request id for support.
 */
function handlingExample(model: ErrorContract, metaOf: ReadonlyMap<string, MetaField[]>, usedBy: ReadonlyMap<string, Operation[]>): string {
  const env = model.envelope;
  const code = accessor(env.code);
  const waits = model.codes.find((c) => c.retry === 'after');
  // The code with meta that most operations return is the one readers meet first.
  const withMeta = env.meta
    ? model.codes
        .filter((c) => c !== waits && (metaOf.get(c.code)?.length ?? 0) > 0)
        .reduce<CatalogCode | undefined>((best, c) => (!best || (usedBy.get(c.code)?.length ?? 0) > (usedBy.get(best.code)?.length ?? 0) ? c : best), undefined)
    : undefined;
  const requestId = env.requestId.header ? `response.headers.get(${tsString(env.requestId.header)})` : env.requestId.body ? accessor(env.requestId.body) : undefined;
  const lines = ['const response = await fetch(request);', 'if (!response.ok) {', '  const body = await response.json();', `  switch (${code}) {`];
  if (waits) {
    lines.push(
      `    case ${tsString(waits.code)}: {`,
      '      // Wait as long as the server asks (seconds), then send the same request again.',
      '      const seconds = Number(response.headers.get("Retry-After") ?? "1");',
      '      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));',
      '      break;',
      '    }',
    );
  }
  if (withMeta && env.meta) {
    const field = metaOf.get(withMeta.code)![0]!.name;
    const meta = accessor([...env.meta, field]);
    const member = env.meta.at(-1)!.replace(/[^\w$-]/g, '');
    lines.push(`    case ${tsString(withMeta.code)}:`, `      // ${member || 'The details member'} carries the details; each code lists its fields below.`, `      console.error(${tsString(`${withMeta.code}:`)}, ${meta});`, '      break;');
  }
  lines.push(
    '    default:',
    '      // Branch on the code, show the message, keep the request id for support.',
    `      console.error(\`\${response.status} \${${code}}: \${${accessor(env.message)}}\`${requestId ? `, ${requestId}` : ''});`,
    '  }',
    '}',
  );
  return lines.join('\n');
}

/**
 * The envelope example as the server sends it: a generated example of a code with details, so the
 * reader sees every member; without one, the first example, minus the details member when its
 * code has none (the server omits it then).
 */
function envelopeExample(model: ErrorContract, examples: readonly unknown[], metaOf: ReadonlyMap<string, MetaField[]>): unknown {
  const env = model.envelope;
  const codeOf = (body: unknown) => model.codes.find((c) => c.code === getAt(body, env.code));
  const full = examples.find((body) => (metaOf.get(codeOf(body)?.code ?? '')?.length ?? 0) > 0 && getAt(body, env.meta ?? []) !== undefined);
  if (full !== undefined || !env.meta) return full ?? examples[0] ?? {};
  const body = structuredClone(examples[0] ?? {});
  const code = codeOf(body);
  if (code && !code.meta && !code.metaRequired) {
    const parent = getAt(body, env.meta.slice(0, -1));
    if (isRecord(parent)) delete parent[env.meta.at(-1)!];
  }
  return body;
}

/** How the envelope table explains each member; the member itself is named as the contract names it. */
const MEMBER_MEANING = {
  code: 'The stable, machine-readable error code: branch on it.',
  message: 'A human-readable message for display; it may change, so do not parse it.',
  meta: 'Structured details whose shape depends on the code (see each code below).',
  requestId: 'Identifies the request in server logs.',
} as const;

/**
 * The view of the error reference section. `resolve` reads the bundled document as the contract
 * wrote it: descriptions reached through `$ref` are escaped here, once. `examples` are the error
 * bodies the contract's responses show.
 */
export function referenceView(model: ErrorContract, examples: readonly unknown[], resolve: Resolve): ReferenceView {
  const env = model.envelope;
  const usedBy = new Map<string, Operation[]>();
  for (const op of model.operations) for (const e of op.errors) for (const code of e.codes) {
    const list = usedBy.get(code) ?? [];
    if (!list.includes(op)) list.push(op);
    usedBy.set(code, list);
  }
  const anyRequest = new Map<string, string[]>();
  for (const e of model.unrouted) for (const code of e.codes) anyRequest.set(code, [...(anyRequest.get(code) ?? []), e.status]);
  const metaOf = new Map(model.codes.map((c) => [c.code, metaFieldsOf(c, resolve)]));
  const catalog = new Map(model.codes.map((c) => [c.code, c]));
  const withMessage = model.codes.some((c) => c.message !== undefined);
  const codesOf = (policy: CatalogCode['retry']): CodeLinkView[] => model.codes.filter((c) => c.retry === policy).map((c) => ({ code: markdownCode(c.code), anchor: codeAnchor(c.code) }));
  const field = (tokens: readonly string[], meaning: string): EnvelopeFieldView => ({ name: markdownCodeCell(tokens.at(-1) ?? ''), pointer: markdownCodeCell(toPointer(tokens)), meaning: markdownCell(meaning) });
  const entry = (c: CatalogCode, withField: boolean): CodeEntryView => {
    const pinned = pinnedField(metaOf.get(c.code)!);
    const row = { code: linkCell(markdownCodeCell(c.code), `#${codeAnchor(c.code)}`), status: markdownCell(c.statuses.join(' / ')), description: markdownCell(c.description), fix: markdownCell(c.fix) };
    const cells = [row.code, row.status, ...(withMessage ? [markdownCell(c.message ?? '')] : []), row.description, row.fix, ...(withField ? [pinned === undefined ? markdownCell('') : markdownCodeCell(pinned)] : [])];
    return {
      anchor: codeAnchor(c.code),
      headingId: codeHeadingId(c.code),
      row: { ...row, cells },
      heading: markdownInline(c.code),
      status: markdownInline(c.statuses.join(' / ')),
      retry: markdownInline(RETRY_TEXT[c.retry]),
      since: c.since === undefined ? undefined : markdownInline(c.since),
      notes: c.notes === undefined ? undefined : markdownInline(c.notes),
      deprecated: c.deprecated,
      message: c.message === undefined ? undefined : markdownInline(c.message),
      type: c.type === undefined ? undefined : markdownCode(c.type),
      field: pinned === undefined ? undefined : markdownCode(pinned),
      description: markdown(c.description),
      fix: markdown(c.fix),
      meta: metaOf.get(c.code)!.map((f) => metaFieldView(f, resolve)),
      usedBy: (usedBy.get(c.code) ?? []).map((op) => ({ label: markdownCode(`${op.method.toUpperCase()} ${op.path}`), href: operationHref(op) })),
      anyRequest: anyRequest.has(c.code) ? markdownInline(anyRequest.get(c.code)!.join(' / ')) : undefined,
      returnedBy: usedBy.has(c.code) || anyRequest.has(c.code),
    };
  };
  return {
    mediaType: markdownCode(env.mediaType),
    example: markdownFence(JSON.stringify(envelopeExample(model, examples, metaOf), null, 2), 'json'),
    handling: markdownFence(handlingExample(model, metaOf, usedBy), 'js'),
    fields: [
      field(env.code, MEMBER_MEANING.code),
      field(env.message, MEMBER_MEANING.message),
      ...(env.meta ? [field(env.meta, MEMBER_MEANING.meta)] : []),
      ...(env.requestId.body ? [field(env.requestId.body, MEMBER_MEANING.requestId)] : []),
    ],
    metaName: markdownCodeCell(env.meta?.at(-1) ?? 'meta'),
    otherEnvelopes: model.envelopes
      .filter((e) => e.name !== 'default')
      .map((e) => ({
        name: markdownCode(e.name),
        mediaType: markdownCode(e.mediaType),
        fixedCode: e.fixedCode === undefined ? undefined : { code: markdownCode(e.fixedCode), anchor: codeAnchor(e.fixedCode) },
        fields: [
          ...(e.code.length > 0 ? [field(e.code, MEMBER_MEANING.code)] : []),
          field(e.message, MEMBER_MEANING.message),
          ...(e.meta ? [field(e.meta, MEMBER_MEANING.meta)] : []),
          ...(e.requestId.body ? [field(e.requestId.body, MEMBER_MEANING.requestId)] : []),
        ],
        codes: model.codes.filter((c) => c.envelope === e.name).map((c) => ({ code: markdownCode(c.code), anchor: codeAnchor(c.code) })),
      })),
    typeBase: model.docsUrl === undefined ? undefined : markdownCode(`${model.docsUrl}#${codeAnchor('CODE')}`),
    unroutedColumns: ['Status', 'Code', ...(withMessage ? ['Message'] : []), 'Description', 'How to fix'].map((c) => markdownCell(c)),
    unrouted: model.unrouted.flatMap((e: ErrorResponse) =>
      e.codes.map((code) => {
        const c = catalog.get(code);
        return {
          cells: [
            markdownCell(e.status),
            linkCell(markdownCodeCell(code), `#${codeAnchor(code)}`),
            ...(withMessage ? [markdownCell(c?.message ?? '')] : []),
            markdownCell(c?.description ?? ''),
            markdownCell(c?.fix ?? ''),
          ],
        };
      }),
    ),
    unroutedHref: `#/${REFERENCE_TAG}/errors-on-any-request` as Html,
    requestIdHeader: env.requestId.header ? markdownCode(env.requestId.header) : undefined,
    requestIdBody: env.requestId.body ? markdownCode(toPointer(env.requestId.body)) : undefined,
    statuses: model.statuses.map((s) => ({
      status: markdownCell(String(s.status)),
      meaning: markdownCell(s.meaning),
      codes: model.codes.filter((c) => c.statuses.includes(s.status)).map((c) => ({ code: markdownCodeCell(c.code), anchor: codeAnchor(c.code) })),
    })),
    retry: { after: codesOf('after'), backoff: codesOf('backoff') },
    categories: model.categories
      .map((cat) => {
        const codes = model.codes.filter((c) => c.category === cat.id);
        const withField = codes.some((c) => pinnedField(metaOf.get(c.code)!) !== undefined);
        const columns = ['Code', 'Status', ...(withMessage ? ['Message'] : []), 'Description', 'How to fix', ...(withField ? ['Field'] : [])].map((c) => markdownCell(c));
        return {
          title: markdownInline(cat.title),
          description: cat.description === undefined ? undefined : markdown(cat.description),
          columns,
          codes: codes.map((c) => entry(c, withField)),
        };
      })
      .filter((cat) => cat.codes.length > 0),
  };
}

/** The "Possible errors" table appended to an operation's description. */
export function operationErrorsView(op: Operation, codes: ReadonlyMap<string, CatalogCode>): OperationErrorsView {
  return {
    rows: op.errors.flatMap((e) =>
      e.codes.map((code) => ({
        status: markdownCell(e.status),
        code: markdownCodeCell(code),
        anchor: codeAnchor(code),
        when: markdownCell(codes.get(code)?.description ?? ''),
      })),
    ),
  };
}
