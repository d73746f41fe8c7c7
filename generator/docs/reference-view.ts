import { html, markdown, markdownCell, markdownCode, markdownCodeCell, markdownFence, tsString, type Html, type Markdown, type MarkdownCell } from '../model/escape';
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

function pointer(tokens: readonly string[]): string {
  return `/${tokens.join('/')}`;
}

interface MetaField {
  name: MarkdownCell;
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
      name: markdownCodeCell(name),
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
function handlingExample(model: ErrorContract, resolve: Resolve, usedBy: ReadonlyMap<string, Operation[]>): string {
  const env = model.envelope;
  const code = accessor(env.code);
  const waits = model.codes.find((c) => c.retry === 'after');
  // The code with meta that most operations return is the one readers meet first.
  const withMeta = env.meta
    ? model.codes
        .filter((c) => c !== waits && metaFieldNames(c, resolve).length > 0)
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
    const field = metaFieldNames(withMeta, resolve)[0]!;
    const meta = accessor([...env.meta, field]);
    lines.push(`    case ${tsString(withMeta.code)}:`, '      // meta carries the details; each code lists its fields below.', `      console.error(${tsString(`${withMeta.code}:`)}, ${meta});`, '      break;');
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

function metaFieldNames(c: CatalogCode, resolve: Resolve): string[] {
  const schema = resolve(c.meta);
  return isRecord(schema) && isRecord(schema.properties) ? Object.keys(schema.properties) : [];
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
  return {
    mediaType: markdownCode(env.mediaType),
    example: markdownFence(JSON.stringify(example, null, 2), 'json'),
    handling: markdownFence(handlingExample(model, resolve, usedBy), 'js'),
    fields: [
      { name: markdownCell('Code'), pointer: markdownCodeCell(pointer(env.code)), meaning: markdownCell('The stable, machine-readable error code: branch on it.') },
      { name: markdownCell('Message'), pointer: markdownCodeCell(pointer(env.message)), meaning: markdownCell('A human-readable message for display; it may change, so do not parse it.') },
      ...(env.meta ? [{ name: markdownCell('Meta'), pointer: markdownCodeCell(pointer(env.meta)), meaning: markdownCell('Structured context whose shape depends on the code (see each code below).') }] : []),
      ...(env.requestId.body ? [{ name: markdownCell('Request id'), pointer: markdownCodeCell(pointer(env.requestId.body)), meaning: markdownCell('Identifies the request in server logs.') }] : []),
    ],
    requestIdHeader: env.requestId.header ? markdownCode(env.requestId.header) : undefined,
    requestIdBody: env.requestId.body ? markdownCode(pointer(env.requestId.body)) : undefined,
    statuses: model.statuses.map((s) => ({
      status: markdownCell(String(s.status)),
      meaning: markdownCell(s.meaning),
      codes: model.codes.filter((c) => c.statuses.includes(s.status)).map((c) => ({ code: markdownCodeCell(c.code), anchor: codeAnchor(c.code) })),
    })),
    retry: { after: codesOf('after'), backoff: codesOf('backoff') },
    categories: model.categories
      .map((cat) => ({
        title: markdownCell(cat.title),
        description: cat.description === undefined ? undefined : markdown(cat.description),
        codes: model.codes
          .filter((c) => c.category === cat.id)
          .map((c) => ({
            code: markdownCodeCell(c.code),
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
        code: markdownCodeCell(code),
        anchor: codeAnchor(code),
        when: markdownCell(codes.get(code)?.description ?? ''),
      })),
    ),
  };
}
