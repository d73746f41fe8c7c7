import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { patch } from '../helpers/patch';
import { bothWays, codecOf, editedCopy, emitServer, inputFor, lint, loadFixture, referenceHtml, typecheckUsage, type Fixture } from './end-to-end';
import { readAt } from '../../runtime/codec';

/**
 * Issue 13, item 1: a FastAPI service's three error bodies in one contract — the app's coded
 * `{"detail":{"code","message"}}`, FastAPI's request-validation list `{"detail":[{"loc","msg","type"}]}`
 * with the fixed code VALIDATION_FAILED, and Starlette's `{"detail":"Task not found"}` with the fixed
 * code TASK_NOT_FOUND — through generate, lint, the server over loopback, the client and the docs.
 */
const SPEC = path.join(ROOT, 'test/fixtures/fastapi/openapi.yaml');

/** The contract with one mistake each, for generate and lint to report alike. */
const MISTAKES = {
  unknownEnvelope: (t: string) => patch(t, "      description: FastAPI's request validation failed.\n", "      description: FastAPI's request validation failed.\n      x-errata-envelope: validaton\n"),
  foreignCode: (t: string) => patch(t, 'x-errata-codes: [VALIDATION_FAILED]', 'x-errata-codes: [VALIDATION_FAILED, TASK_LOCKED]'),
  fixedCodeMissing: (t: string) => patch(t, 'code: { const: VALIDATION_FAILED }', 'code: { const: VALIDATION_FAILD }'),
};

let f: Fixture;
let emit: { url: string; close: () => Promise<void> };
let mistakes: Record<keyof typeof MISTAKES, string>;
/** The contract and each mistake, linted in one Redocly CLI run. */
let linted: Awaited<ReturnType<typeof lint>>;
beforeAll(async () => {
  f = await loadFixture(SPEC);
  emit = await emitServer(f.server, { generateRequestId: () => 'req_1' });
  mistakes = Object.fromEntries(Object.entries(MISTAKES).map(([name, edit]) => [name, editedCopy('fastapi', 'openapi.yaml', edit)])) as typeof mistakes;
  linted = await lint([SPEC, ...Object.values(mistakes).map((dir) => path.join(dir, 'openapi.yaml'))]);
});
afterAll(() => emit.close());

/** Calls the operation `d` documents through the generated client; the server builds `input`. */
async function call(d: { operation: string }, input: object) {
  const client = f.client.createClient({ baseUrl: emit.url, retry: false });
  const op = f.catalog.operations[d.operation];
  const init = { params: { path: { task_id: 7 } }, headers: { 'x-emit': JSON.stringify({ operation: d.operation, input }), 'x-request-id': 'req_from_client' }, ...(op.method === 'get' ? {} : { body: { title: 'Groceries' } }) };
  return client[op.method.toUpperCase()](op.path, init);
}

describe('FastAPI: coded envelope, validation list with a fixed code, Starlette detail string', () => {
  it('the contract documents a body of each envelope', () => {
    const shapes = new Set(f.documented.map((d) => codecOf(f.catalog, d.code).name));
    expect([...shapes].sort()).toEqual(['default', 'notFound', 'validation']);
  });

  it('sends every documented body byte for byte over HTTP, each valid against its bundled schema', async () => {
    for (const d of f.documented) {
      const res = await fetch(emit.url, { headers: { 'x-emit': JSON.stringify({ operation: d.operation, input: inputFor(f.catalog, d) }) } });
      const text = await res.text();
      expect(`${d.operation} ${d.code} ${res.status} ${text}`).toBe(`${d.operation} ${d.code} ${d.status} ${JSON.stringify(d.value)}`);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('x-request-id')).toBe('req_1');
      const v = f.bundled.validate(d.schema, JSON.parse(text));
      expect(v.valid, v.errors).toBe(true);
    }
    expect(f.documented.length).toBeGreaterThanOrEqual(5);
  });

  it('the client reads code, message, meta and request id out of each envelope', async () => {
    const seen: string[] = [];
    for (const d of f.documented) {
      const codec = codecOf(f.catalog, d.code);
      const { error } = await call(d, inputFor(f.catalog, d));
      expect(error, `${d.operation} ${d.code}`).toMatchObject({ kind: 'contract', code: d.code, serverCode: d.code, status: d.status, message: readAt(d.value, codec.message), requestId: 'req_from_client' });
      expect(error.meta).toEqual(readAt(d.value, codec.meta));
      seen.push(`${d.operation} ${error.code}`);
    }
    expect(seen).toContain('createTask VALIDATION_FAILED');
    expect(seen).toContain('getTask TASK_NOT_FOUND');
  });

  it('a validation list for an operation is VALIDATION_FAILED, a detail string TASK_NOT_FOUND, a coded detail its code', async () => {
    const get = { operation: 'getTask' };
    expect((await call(get, { code: 'VALIDATION_FAILED', meta: { loc: ['path', 'task_id'], type: 'int_parsing' }, message: 'Input should be a valid integer' })).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'Input should be a valid integer',
      meta: { loc: ['path', 'task_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
    });
    expect((await call(get, { code: 'TASK_NOT_FOUND' })).error).toMatchObject({ code: 'TASK_NOT_FOUND', message: 'Task not found', rawBody: '{"detail":"Task not found"}' });
    expect((await call(get, { code: 'NOT_AUTHENTICATED' })).error).toMatchObject({ code: 'NOT_AUTHENTICATED', rawBody: '{"detail":{"code":"NOT_AUTHENTICATED","message":"Not authenticated"}}' });
  });

  it('the generated client narrows each envelope by code, with the validation meta typed', () => {
    const r = typecheckUsage(
      f.out,
      `import { createClient } from './client';
const client = createClient();
export async function use() {
  const { error } = await client.GET('/tasks/{task_id}', { params: { path: { task_id: 7 } } });
  if (error?.code === 'VALIDATION_FAILED') {
    const status: 422 = error.status;
    const loc: (string | number)[] = error.meta.loc;
    const type: string = error.meta.type;
    void status; void loc; void type;
  }
  if (error?.code === 'TASK_NOT_FOUND') { const status: 404 = error.status; const meta: undefined = error.meta; void status; void meta; }
  // @ts-expect-error getTask cannot return TASK_LOCKED
  if (error?.code === 'TASK_LOCKED') return;
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

  it('a response naming an envelope that does not exist: generate and lint say the same, with a suggestion', async () => {
    const r = await bothWays(mistakes.unknownEnvelope, linted);
    expect(r.code).not.toBe(0);
    expect(r.generate).toEqual([
      'openapi.yaml:148 `x-errata-envelope` is "validaton", which names no envelope. Fix: did you mean validation? name one of default, validation, notFound (`default` is `x-errata.envelope`, the others are keys of `x-errata.envelopes`)',
    ]);
    expect(r.lint).toEqual(r.generate);
  });

  it('a code listed under an envelope with another fixed code: generate and lint say the same', async () => {
    const r = await bothWays(mistakes.foreignCode, linted);
    expect(r.code).not.toBe(0);
    expect(r.generate).toContainEqual(expect.stringMatching(/^openapi\.yaml:\d+ the 422 response of createTask uses the envelope validation, whose bodies always mean VALIDATION_FAILED, but lists TASK_LOCKED\. Fix: list only VALIDATION_FAILED here/));
    expect(r.lint.filter((l) => l.includes('always mean'))).toEqual(r.generate.filter((l) => l.includes('always mean')));
  });

  it('a fixed code the catalog lacks: generate and lint say the same, once per mistake', async () => {
    const r = await bothWays(mistakes.fixedCodeMissing, linted);
    expect(r.code).not.toBe(0);
    expect(r.generate).toContainEqual(expect.stringMatching(/^openapi\.yaml:\d+ the fixed code VALIDATION_FAILD of the envelope validation is not in the catalog\. Fix: add VALIDATION_FAILD to the catalog's `codes`, or correct the name$/));
    expect(r.lint).toEqual(r.generate);
  });

  it('the reference builds and shows each envelope’s documented body', async () => {
    const html = await referenceHtml(SPEC);
    // Redoc keeps the spec as JSON in the page: each example body is there as the contract wrote it.
    for (const d of f.documented) expect(html).toContain(JSON.stringify(d.value).slice(1, -1));
    // The envelope section names every envelope, its members and the code a codeless one means.
    expect(html).toContain('Most error responses have this');
    expect(html).toMatch(/Some responses use the envelope `validation` instead \(`application\/json`\): every body of it means \[`VALIDATION_FAILED`\]\(#error-VALIDATION_FAILED\)/);
    expect(html).toMatch(/Some responses use the envelope `notFound` instead \(`application\/json`\): every body of it means \[`TASK_NOT_FOUND`\]\(#error-TASK_NOT_FOUND\)/);
  });
});
