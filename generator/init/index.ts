import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, type SourceLocation } from '../errors';
import { displayPath } from '../load/locate';
import { pascalCase } from '../model/names';
import { toPointer } from '../model/pointer';
import { isRecord } from '../model/resolve';
import { inferCatalog } from './catalog';
import { inferEnvelope } from './envelope';
import { renderReport } from './report';
import { collectSites, type Site } from './sites';
import { Sources, readInput, type Place } from './sources';
import type { InferredEnvelope, InitOptions, InitResult, Json, Todo } from './types';
import { verify } from './verify';

export type * from './types';

const REQUEST_ID_HEADER = /^(?:x-)?(?:request|trace|correlation)-?id$/i;

/**
 * `errata init`: reads an OpenAPI 3.0/3.1 description and writes the errata contract it already
 * implies (envelope, catalog, each operation's codes) as edits to the user's own files, with a
 * report of what was inferred from what and what a person must decide.
 */
export async function init(options: InitOptions): Promise<InitResult> {
  const input = await readInput(options.spec);
  const ops = collectSites(input.document);
  const rel = displayPath(input.file);
  if (ops.sites.length === 0) {
    throw new UsageError(
      `${rel} declares no error responses (no 4xx, 5xx or \`default\` response on any of its ${ops.total} operations): there is nothing to build an error contract from`,
      'describe at least one error response (e.g. `404: { description: Not found, content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }`), then run init again',
      { file: rel, pointer: '/paths' },
    );
  }
  const { resolve } = ops;
  const env = inferEnvelope(ops.sites, input.document, resolve);
  const envelopeSchema = env.newSchema ? env.newSchema.schema : { $ref: `#${env.schemaPointer}` };
  const catalog = inferCatalog(ops.sites, env.shape, envelopeSchema, resolve, env.aliases);
  // errata generates a `<Code>Error` schema per code: a code whose name is taken gets another.
  const taken = new Set(Object.keys(isRecord(input.document.components) && isRecord(input.document.components.schemas) ? input.document.components.schemas : {}));
  if (env.newSchema) taken.add(env.newSchema.name);
  for (const c of catalog.codes) {
    const schemaName = (code: string) => `${pascalCase(code).replace(/Error$/, '')}Error`;
    if (!taken.has(schemaName(c.code))) continue;
    let code = `${c.code}_ERROR`;
    for (let i = 2; taken.has(schemaName(code)) || catalog.codes.some((k) => k.code === code); i++) code = `${c.code}_${i}`;
    for (const s of catalog.perSite) s.codes = s.codes.map((k) => (k === c.code ? code : k));
    if (c.source === 'enum' || c.source === 'example') c.wire ??= c.code;
    c.code = code;
  }
  const inferences = [...env.inferences];
  const todo: Todo[] = [];
  const where = (pointers: string[]): SourceLocation[] => pointers.slice(0, 5).map((p) => locationOf(input.place(p)));
  const task = (message: string, pointers: string[]) => todo.push({ message, where: where(pointers), count: pointers.length });
  for (const note of env.notes) task(note, [env.schemaPointer]);

  // The request id: a header every response declares, else a body member named like one.
  const requestId: InferredEnvelope['requestId'] = {};
  const headerCounts = new Map<string, number>();
  for (const r of ops.responses) {
    const headers = resolve(r.headers);
    if (isRecord(headers)) for (const h of Object.keys(headers)) if (REQUEST_ID_HEADER.test(h)) headerCounts.set(h.toLowerCase(), (headerCounts.get(h.toLowerCase()) ?? 0) + 1);
  }
  const [header, declaredOn] = [...headerCounts].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (header && declaredOn === ops.responses.length) {
    requestId.header = header;
    inferences.push({ subject: 'request id', value: `header ${header}`, from: `declared on all ${declaredOn} responses`, confidence: 'high' });
  } else if (header) {
    task(`the request id header ${header} is declared on ${declaredOn} of ${ops.responses.length} responses: declare it on every response (errata checks that), then add \`requestId: { header: ${header} }\` to x-errata.envelope`, []);
  }
  if (env.shape.requestId) {
    requestId.body = toPointer(env.shape.requestId.tokens);
    inferences.push({ subject: 'request id', value: `body ${requestId.body}`, from: 'an envelope member named like a request id', confidence: 'high' });
  }
  if (env.envelope.meta) inferences.push({ subject: 'envelope meta', value: env.envelope.meta, from: 'an object member of the envelope named like details', confidence: 'medium' });
  const envelope: InferredEnvelope = { ...env.envelope, ...(requestId.header || requestId.body ? { requestId } : {}) };

  // Codes: what each came from, and what needs a name.
  const bySource = new Map<string, number>();
  for (const c of catalog.codes) bySource.set(c.source, (bySource.get(c.source) ?? 0) + 1);
  for (const [source, n] of bySource) {
    const confidence = catalog.codes.find((c) => c.source === source)!.confidence;
    inferences.push({ subject: 'codes', value: `${n} code${n === 1 ? '' : 's'}`, from: SOURCE_TEXT[source as keyof typeof SOURCE_TEXT], confidence });
  }
  const sitesOf = (code: string) => catalog.perSite.filter((s) => s.codes.includes(code)).map((s) => s.site);
  for (const c of catalog.codes.filter((c) => c.source === 'unspecified')) {
    task(`${c.code} on ${c.operations} operation${c.operations === 1 ? '' : 's'}: nothing names this error; name it (rename the code in the catalog and in x-errata-codes) and describe it`, sitesOf(c.code).map((s) => s.pointer));
  }
  for (const c of catalog.codes.filter((c) => c.wire)) {
    task(`the API sends ${JSON.stringify(c.wire)}, written as ${c.code}: errata codes are UPPER_SNAKE_CASE, so the server must send ${c.code} (or keep the old value and rename it here)`, sitesOf(c.code).map((s) => s.pointer));
  }
  for (const c of catalog.codes.filter((c) => c.statuses.length > 2)) {
    task(`${c.code} is used under ${c.statuses.length} statuses (${c.statuses.join(', ')}): check each status, and split it into one code per error where they differ`, sitesOf(c.code).map((s) => s.pointer));
  }
  if (catalog.unplaced.length > 0) {
    task(`the envelope's code enum also lists ${catalog.unplaced.join(', ')}, which no response shows: add each to the catalog with the status it is returned with`, [env.schemaPointer]);
  }
  const no429Header = catalog.perSite.filter((s) => s.site.uses.some((u) => u.status === '429') && !hasRetryAfter(s.site, resolve));
  if (no429Header.length > 0) task('a 429 response declares no Retry-After header: declare it (errata checks that every 429 does), or the lint rule retry-after-header fails', no429Header.map((s) => s.site.pointer));
  const challenge = authChallenge(input.document, resolve);
  const no401Header = catalog.perSite.filter((s) => s.site.uses.some((u) => u.status === '401') && !hasHeader(s.site, 'www-authenticate', resolve));
  if (no401Header.length > 0) {
    inferences.push({ subject: 'WWW-Authenticate', value: `declared on ${no401Header.length} 401 response${no401Header.length === 1 ? '' : 's'}`, from: `RFC 9110 §15.5.2 requires it on every 401${challenge.length > 0 ? `; challenge ${challenge.join(', ')} from securitySchemes` : ''}`, confidence: 'high' });
    task('init declared a `WWW-Authenticate` header on each 401 that lacked one (RFC 9110 requires it): make sure the server sends the challenge on every 401', no401Header.map((s) => s.site.pointer));
  }
  const bare = ops.operations.filter((o) => !catalog.perSite.some((s) => s.site.uses.some((u) => u.operation === o.id)));
  if (bare.length > 0) task(`${bare.length} operation${bare.length === 1 ? ' declares' : 's declare'} no error response: add the errors ${bare.length === 1 ? 'it returns' : 'they return'} (errata's operation-error-codes rule requires them), e.g. a shared 401/404 response`, bare.map((o) => o.pointer));
  for (const [why, items] of groupBy(env.others, (o) => o.why)) task(`${items.length} error response${items.length === 1 ? '' : 's'} ${items.length === 1 ? why : why.replace(/^(uses|answers|describes)/, (v) => ({ uses: 'use', answers: 'answer', describes: 'describe' })[v]!)}: point ${items.length === 1 ? 'it' : 'them'} at the envelope, or make the envelope describe both`, items.map((o) => o.body.pointer));
  task('every `fix` in the catalog is proposed from the status alone: rewrite each for your API', []);

  // The edits, each where the user wrote the node.
  const sources = input.sources;
  if (env.newSchema) {
    // An inline body becomes the component as the user wrote it (a 3.0 file gets 3.0 syntax).
    const authored = env.replaceInline.length > 0 ? sources.valueAt(input.place(env.replaceInline[0]!)) : undefined;
    const schema = structuredClone(isRecord(authored) ? authored : env.newSchema.schema);
    if (Object.keys(env.addMembers).length > 0) schema.properties = { ...(isRecord(schema.properties) ? schema.properties : {}), ...env.addMembers };
    sources.set({ file: input.file, tokens: ['components', 'schemas'] }, env.newSchema.name, schema);
  } else {
    const at = input.place(env.schemaPointer);
    for (const [key, value] of Object.entries(env.addMembers)) sources.set({ file: at.file, tokens: [...at.tokens, 'properties'] }, key, value);
  }
  for (const pointer of env.replaceInline) {
    const at = input.place(pointer);
    sources.set({ file: at.file, tokens: at.tokens.slice(0, -1) }, 'schema', { $ref: envelope.schema }, { flow: true });
  }
  const wwwAuthenticate = {
    description: `The authentication challenge (RFC 9110 §11.6.1)${challenge.length > 0 ? `: ${challenge.join(' or ')}` : ''}.`,
    schema: { type: 'string' },
  };
  for (const { site } of no401Header) {
    const at = input.place(site.pointer);
    if (isRecord(site.response.headers) && site.response.headers.$ref === undefined) sources.set({ file: at.file, tokens: [...at.tokens, 'headers'] }, 'WWW-Authenticate', wwwAuthenticate);
    else sources.set(at, 'headers', { 'WWW-Authenticate': wwwAuthenticate });
  }
  for (const { site, codes } of catalog.perSite) sources.set(input.place(site.pointer), 'x-errata-codes', codes, { flow: true });
  const categories = [
    { id: 'client', title: 'Client errors' },
    { id: 'server', title: 'Server errors' },
  ].filter((c) => catalog.codes.some((k) => k.category === c.id));
  const xErrata = {
    envelope: {
      ...(envelope.mediaType !== 'application/json' ? { mediaType: envelope.mediaType } : {}),
      schema: { $ref: envelope.schema },
      code: envelope.code,
      message: envelope.message,
      ...(envelope.meta ? { meta: envelope.meta } : {}),
      ...(envelope.requestId ? { requestId: envelope.requestId } : {}),
    },
    catalog: {
      categories,
      codes: Object.fromEntries(
        catalog.codes.map((c) => [
          c.code,
          {
            status: c.statuses.length === 1 ? c.statuses[0] : c.statuses,
            category: c.category,
            description: c.description,
            fix: c.fix,
            ...(c.retry !== 'none' ? { retry: c.retry } : {}),
            ...(c.meta ? { meta: c.meta, example: c.example } : {}),
          },
        ]),
      ),
    },
  };
  sources.set({ file: input.file, tokens: [] }, 'x-errata', xErrata, { after: 'info' });

  const files = sources.render();
  const covered = new Set(catalog.perSite.flatMap((s) => s.site.uses.map((u) => u.operation)));
  const result: InitResult = {
    spec: rel,
    ...(input.converted ? { converted: input.converted } : {}),
    envelope,
    codes: catalog.codes,
    operations: { total: ops.total, covered: covered.size },
    annotated: catalog.perSite.length,
    inferences,
    todo: withLines(todo, files),
    files: files.map((f) => ({ file: displayPath(f.file), contents: f.contents })),
    written: false,
    report: '',
  };
  if (!options.dryRun) {
    writeAll(files);
    result.written = true;
    if (options.verify !== false) result.remaining = await verify(options.spec);
  }
  result.report = renderReport(result);
  return result;
}

const SOURCE_TEXT = {
  enum: 'the `enum`/`const` of the code member in a response schema',
  example: "the code member of the responses' examples",
  description: 'enum values named in response descriptions',
  'schema-name': 'the names of error schemas that share the envelope shape',
  'shared-response': 'the names of shared responses (components/responses)',
  unspecified: 'nothing: one placeholder per status, for a person to name',
};

function hasRetryAfter(site: Site, resolve: (n: unknown) => unknown): boolean {
  return hasHeader(site, 'retry-after', resolve);
}

function hasHeader(site: Site, name: string, resolve: (n: unknown) => unknown): boolean {
  const headers = resolve(site.response.headers);
  return isRecord(headers) && Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/** The auth schemes a 401 challenges with, from the security schemes (RFC 9110 §11.1 names). */
function authChallenge(document: Json, resolve: (n: unknown) => unknown): string[] {
  const components = resolve(document.components);
  const schemes = resolve(isRecord(components) ? components.securitySchemes : undefined);
  const out = new Set<string>();
  for (const raw of Object.values(isRecord(schemes) ? schemes : {})) {
    const s = resolve(raw);
    if (!isRecord(s)) continue;
    if (s.type === 'http' && typeof s.scheme === 'string' && /^[A-Za-z][\w.-]*$/.test(s.scheme)) out.add(s.scheme[0]!.toUpperCase() + s.scheme.slice(1).toLowerCase());
    else if (s.type === 'oauth2' || s.type === 'openIdConnect') out.add('Bearer');
  }
  return [...out].sort();
}

function locationOf(place: Place): SourceLocation {
  return { file: place.file, pointer: toPointer(place.tokens) };
}

/** Line numbers from the files as init leaves them. */
function withLines(todo: Todo[], files: { file: string; contents: string }[]): Todo[] {
  const wanted = new Map<string, string[]>();
  for (const t of todo) for (const w of t.where) (wanted.get(w.file) ?? wanted.set(w.file, []).get(w.file)!).push(w.pointer);
  const lines = new Map<string, Map<string, number>>();
  for (const [file, pointers] of wanted) {
    const rendered = files.find((f) => f.file === file);
    lines.set(file, Sources.lines(file, rendered?.contents ?? readText(file), pointers));
  }
  return todo.map((t) => ({ ...t, where: t.where.map((w) => ({ file: displayPath(w.file), pointer: w.pointer, ...(lines.get(w.file)?.has(w.pointer) ? { line: lines.get(w.file)!.get(w.pointer)! } : {}) })) }));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Every file or none: each is written beside itself, then renamed over the original. */
function writeAll(files: { file: string; contents: string }[]): void {
  const staged: { tmp: string; file: string; dir: string }[] = [];
  try {
    for (const f of files) {
      const dir = mkdtempSync(path.join(path.dirname(f.file), '.errata-init-'));
      const tmp = path.join(dir, path.basename(f.file));
      staged.push({ tmp, file: f.file, dir });
      writeFileSync(tmp, f.contents);
    }
    for (const s of staged) renameSync(s.tmp, s.file);
  } finally {
    for (const s of staged) rmSync(s.dir, { recursive: true, force: true });
  }
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) (out.get(key(i)) ?? out.set(key(i), []).get(key(i))!).push(i);
  return out;
}

export type { Json };
