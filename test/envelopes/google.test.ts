import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { patch } from '../helpers/patch';
import { bothWays, codecOf, editedCopy, emitServer, inputFor, lint, loadFixture, referenceHtml, typecheckUsage, type Fixture } from './end-to-end';
import { readAt } from '../../runtime/codec';

/**
 * Issue 13, item 1: Google's error model — the code is the `reason` of the `error.details[]`
 * element whose `@type` is ErrorInfo, `error.code` repeats the HTTP status, `error.status` comes
 * from a hook per response — through generate, lint, the server over loopback, the client and the docs.
 */
const SPEC = path.join(ROOT, 'test/fixtures/google/openapi.yaml');
const CANONICAL: Record<number, string> = { 400: 'INVALID_ARGUMENT', 404: 'NOT_FOUND', 500: 'INTERNAL' };

let f: Fixture;
let emit: { url: string; close: () => Promise<void> };
/** A match step on a member the items do not pin, for generate and lint to report alike. */
let unpinned: string;
/** The contract and the mistake, linted in one Redocly CLI run. */
let linted: Awaited<ReturnType<typeof lint>>;
beforeAll(async () => {
  f = await loadFixture(SPEC);
  emit = await emitServer(f.server, { live: { '/error/status': (e: { status: number }) => CANONICAL[e.status] } });
  unpinned = editedCopy('google', 'openapi.yaml', (t) => patch(t, '    code: /error/details/[@type=type.googleapis.com~1google.rpc.ErrorInfo]/reason', '    code: /error/details/[@type=type.googleapis.com~1google.rpc.ErrorInfos]/reason'));
  linted = await lint([SPEC, path.join(unpinned, 'openapi.yaml')]);
});
afterAll(() => emit.close());

async function call(operation: string, input: object) {
  const client = f.client.createClient({ baseUrl: emit.url, retry: false });
  const op = f.catalog.operations[operation];
  const init = { params: { path: { shelf: 1, book: 7 } }, headers: { 'x-emit': JSON.stringify({ operation, input }) }, ...(op.method === 'get' ? {} : { body: { name: 'shelves/1/books/7', title: 'Dune' } }) };
  return client[op.method.toUpperCase()](op.path, init);
}

describe('Google: the code in error.details[] found by @type, the status mirrored, the canonical status live', () => {
  it('sends every documented body byte for byte over HTTP, each valid against its bundled schema', async () => {
    for (const d of f.documented) {
      const res = await fetch(emit.url, { headers: { 'x-emit': JSON.stringify({ operation: d.operation, input: inputFor(f.catalog, d) }) } });
      const text = await res.text();
      expect(`${d.operation} ${d.code} ${res.status} ${text}`).toBe(`${d.operation} ${d.code} ${d.status} ${JSON.stringify(d.value)}`);
      const v = f.bundled.validate(d.schema, JSON.parse(text));
      expect(v.valid, v.errors).toBe(true);
    }
    expect(f.documented.map((d) => d.code).sort()).toEqual(['API_KEY_INVALID', 'API_KEY_INVALID', 'BOOK_NOT_FOUND', 'INTERNAL', 'INTERNAL', 'SHELF_FULL']);
  });

  it('a body of one code fails every other code’s bundled schema (the @type match keeps the oneOf exclusive)', () => {
    const d = f.documented.find((x) => x.code === 'SHELF_FULL')!;
    const other = f.documented.find((x) => x.code === 'API_KEY_INVALID' && x.operation === d.operation)!;
    expect(f.bundled.validate(d.schema, d.value).valid).toBe(true);
    const swapped = JSON.parse(JSON.stringify(d.value).replace('"reason":"SHELF_FULL"', '"reason":"NOT_A_CODE"'));
    expect(f.bundled.validate(other.schema, swapped).valid).toBe(false);
  });

  it('the client reads the reason, message and metadata out of details[], whatever else the list holds', async () => {
    for (const d of f.documented) {
      const codec = codecOf(f.catalog, d.code);
      const { error } = await call(d.operation, inputFor(f.catalog, d));
      expect(error, `${d.operation} ${d.code}`).toMatchObject({ kind: 'contract', code: d.code, status: d.status, message: readAt(d.value, codec.message) });
      expect(error.meta).toEqual(readAt(d.value, codec.meta));
    }
    // A Help entry before the ErrorInfo one: the match finds the element, not a position.
    const body = { error: { code: 404, message: 'Book not found.', status: 'NOT_FOUND', details: [{ '@type': 'type.googleapis.com/google.rpc.Help', links: [] }, { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'BOOK_NOT_FOUND', domain: 'googleapis.com', metadata: { book: 'b' } }] } };
    const e = await f.client.readApiError(f.client.clientContract ?? { envelope: f.catalog.envelope, codecs: f.catalog.codecs, catalog: f.catalog.catalog, operations: f.catalog.operations }, new Response(JSON.stringify(body), { status: 404 }), { operation: 'getBook' });
    expect(e).toMatchObject({ kind: 'contract', code: 'BOOK_NOT_FOUND', meta: { book: 'b' } });
  });

  it('the generated client narrows by the reason, with the ErrorInfo metadata typed', () => {
    const r = typecheckUsage(
      f.out,
      `import { createClient } from './client';
const client = createClient();
export async function use() {
  const { error } = await client.GET('/v1/shelves/{shelf}/books/{book}', { params: { path: { shelf: 1, book: 7 } } });
  if (error?.code === 'BOOK_NOT_FOUND') { const status: 404 = error.status; const book: string = error.meta.book; void status; void book; }
  if (error?.code === 'API_KEY_INVALID') { const service: string = error.meta.service; void service; }
  // @ts-expect-error getBook cannot return SHELF_FULL
  if (error?.code === 'SHELF_FULL') return;
}
`,
    );
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('lints clean (Redocly recommended and errata/all)', () => {
    const r = linted.get(SPEC)!;
    expect(r.problems).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a match step on a member the items do not pin: generate and lint say the same', async () => {
    const r = await bothWays(unpinned, linted);
    expect(r.code).not.toBe(0);
    expect(r.generate).toEqual([
      'openapi.yaml:18 the envelope schema #/components/schemas/Error has no property at /error/details/[@type=type.googleapis.com~1google.rpc.ErrorInfos]/reason. Fix: declare it under `properties` of Error (an array element is `/0` or `/[member=value]`, docs/conventions.md), or correct the pointer',
    ]);
    expect(r.lint).toEqual(r.generate);
  });

  it('the reference builds and shows each documented body', async () => {
    const html = await referenceHtml(SPEC);
    for (const d of f.documented) expect(html).toContain(JSON.stringify(d.value).slice(1, -1));
  });
});
