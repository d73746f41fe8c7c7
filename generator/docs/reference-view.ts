import { html, markdown, markdownCell, markdownCode, markdownFence, type Html, type Markdown, type MarkdownCell } from '../model/escape';
import { isRecord, type Resolve } from '../model/resolve';
import type { CatalogCode, ErrorContract, Operation } from '../model/types';

/** `#error-QUOTA_EXCEEDED`: codes match CODE_PATTERN, so the id needs no further escaping. */
export function codeAnchor(code: string): Html {
  return `error-${code}` as Html;
}

const RETRY_TEXT = { none: 'Do not retry', backoff: 'Retry with exponential backoff', after: 'Retry after the `Retry-After` delay' } as const;

function statusText(c: CatalogCode): MarkdownCell {
  return markdownCell(c.statuses.join(' / '));
}

function pointerText(tokens: string[] | undefined): Markdown {
  return markdownCode(tokens ? `/${tokens.join('/')}` : '');
}

interface MetaField {
  name: Markdown;
  type: MarkdownCell;
  required: MarkdownCell;
  description: MarkdownCell;
}

function metaFields(c: CatalogCode, resolve: Resolve): MetaField[] {
  const schema = resolve(c.meta);
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, raw]) => {
    const prop = resolve(raw);
    return {
      name: markdownCode(name),
      type: markdownCell(describeType(prop, resolve)),
      required: markdownCell(required.has(name) ? 'yes' : 'no'),
      description: markdownCell(isRecord(prop) && typeof prop.description === 'string' ? prop.description : ''),
    };
  });
}

function describeType(schema: unknown, resolve: Resolve): string {
  if (!isRecord(schema)) return 'any';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : 'object';
  if (type === 'array') return `array of ${describeType(resolve(schema.items), resolve)}`;
  return typeof schema.format === 'string' ? `${type} (${schema.format})` : type;
}

/** The view of the error reference section: every value already escaped for Markdown. */
export function referenceView(model: ErrorContract, example: unknown, resolve: Resolve) {
  const env = model.envelope;
  const usedBy = new Map<string, Operation[]>();
  for (const op of model.operations) for (const e of op.errors) for (const code of e.codes) {
    const list = usedBy.get(code) ?? [];
    if (!list.includes(op)) list.push(op);
    usedBy.set(code, list);
  }
  const codesOf = (policy: CatalogCode['retry']) => model.codes.filter((c) => c.retry === policy).map((c) => ({ code: markdownCode(c.code), anchor: codeAnchor(c.code) }));
  const retryAfterHeader = model.codes.some((c) => c.retry === 'after') || model.codes.some((c) => c.statuses.includes(429));
  return {
    mediaType: markdownCode(env.mediaType),
    example: markdownFence(JSON.stringify(example, null, 2), 'json'),
    fields: [
      { name: markdownCode('code'), pointer: pointerText(env.code), meaning: markdownCell('The stable, machine-readable error code: branch on it.') },
      { name: markdownCode('message'), pointer: pointerText(env.message), meaning: markdownCell('A human-readable message for display; it may change, so do not parse it.') },
      ...(env.meta ? [{ name: markdownCode('meta'), pointer: pointerText(env.meta), meaning: markdownCell('Structured context whose shape depends on the code (see each code below).') }] : []),
      ...(env.requestId.body ? [{ name: markdownCode('request id'), pointer: pointerText(env.requestId.body), meaning: markdownCell('Identifies the request in server logs.') }] : []),
    ],
    requestIdHeader: env.requestId.header ? markdownCode(env.requestId.header) : undefined,
    requestIdBody: env.requestId.body ? pointerText(env.requestId.body) : undefined,
    statuses: model.statuses.map((s) => ({ status: markdownCell(String(s.status)), meaning: markdownCell(s.meaning) })),
    retryAfterHeader,
    retry: { after: codesOf('after'), backoff: codesOf('backoff'), none: codesOf('none') },
    categories: model.categories
      .map((cat) => ({
        title: markdownCell(cat.title),
        description: cat.description === undefined ? undefined : markdown(cat.description),
        codes: model.codes
          .filter((c) => c.category === cat.id)
          .map((c) => ({
            code: markdownCode(c.code),
            anchor: codeAnchor(c.code),
            headingCode: html(c.code),
            status: statusText(c),
            description: markdownCell(c.description),
            fix: markdownCell(c.fix),
            retry: markdownCell(RETRY_TEXT[c.retry]),
            since: c.since === undefined ? undefined : markdownCell(c.since),
            notes: c.notes === undefined ? undefined : markdownCell(c.notes),
            deprecated: c.deprecated,
            meta: metaFields(c, resolve),
            usedBy: (usedBy.get(c.code) ?? []).map((op) => markdownCode(`${op.method.toUpperCase()} ${op.path}`)),
          })),
      }))
      .filter((cat) => cat.codes.length > 0),
  };
}

/** The "Possible errors" table appended to an operation's description. */
export function operationErrorsView(op: Operation, codes: ReadonlyMap<string, CatalogCode>) {
  return {
    rows: op.errors.flatMap((e) =>
      e.codes.map((code) => ({
        status: markdownCell(e.status),
        code: markdownCode(code),
        anchor: codeAnchor(code),
        when: markdownCell(codes.get(code)?.description ?? ''),
      })),
    ),
  };
}
