import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runtimeCopy, typecheck } from '../helpers/cli';
import { generateClient } from './generated-client';
import { fakeClock, startScriptedServer, type Reply, type ScriptedServer } from './scripted-server';

/**
 * Every envelope shape the foundation supports, each generated from its fixture contract and
 * called over real HTTP: where the code, message, meta and request id live differs, the client's
 * behaviour must not.
 */
interface Shape {
  fixture: string;
  /** An error body in this envelope. */
  body(code: string, message: string, meta?: unknown): unknown;
  headers: Record<string, string>;
  /** A GET whose declared error is `declared`; `retryable` is a catalog `backoff` code it declares under `retryStatus`. */
  path: string;
  init: object;
  declared: { status: number; code: string; meta?: unknown };
  retryable: { status: number; code: string };
  /** Where the request id comes from: the body's value, the header's, or nowhere. */
  requestId: (reply: Reply) => string | undefined;
  /** A usage file typechecked against the generated client. */
  usage: string;
}

const shapes: Shape[] = [
  {
    fixture: 'nested-error',
    body: (code, message, meta) => ({ error: { code, message, ...(meta === undefined ? {} : { details: meta }) }, request_id: 'req_in_body' }),
    headers: {},
    path: '/orders/{id}',
    init: { params: { path: { id: 'ord_1' } } },
    declared: { status: 404, code: 'NOT_FOUND', meta: { resource: 'order', id: 'ord_1' } },
    retryable: { status: 500, code: 'INTERNAL' },
    requestId: () => 'req_in_body',
    usage: `import { createClient } from './client';
const client = createClient();
export async function use() {
  const { error } = await client.GET('/orders/{id}', { params: { path: { id: 'x' } } });
  if (error?.code === 'NOT_FOUND') { const status: 404 = error.status; void status; }
  if (error?.status === 404 && error.kind === 'contract') { const code: 'NOT_FOUND' = error.code; void code; }
  // @ts-expect-error getOrder cannot return PAYMENT_DECLINED
  if (error?.code === 'PAYMENT_DECLINED') return;
}
`,
  },
  {
    fixture: 'detail-wrapper',
    body: (code, message) => ({ detail: { code, message } }),
    headers: { 'X-Request-ID': 'req_in_header' },
    path: '/notes/{note_id}',
    init: { params: { path: { note_id: 7 } } },
    declared: { status: 404, code: 'NOTE_NOT_FOUND' },
    retryable: { status: 500, code: 'SERVER_ERROR' },
    requestId: () => 'req_in_header',
    usage: `import { createClient } from './client';
const client = createClient();
export async function use() {
  const { error } = await client.DELETE('/notes/{note_id}', { params: { path: { note_id: 7 } } });
  if (error?.code === 'NOTE_LOCKED') { const status: 423 = error.status; const meta: undefined = error.meta; void status; void meta; }
  // @ts-expect-error deleteNote cannot return VALIDATION_FAILED
  if (error?.code === 'VALIDATION_FAILED') return;
}
`,
  },
  {
    fixture: 'problem-json',
    body: (code, message, meta) => ({ type: `https://shipments.test/problems/${code}`, title: 'Problem', detail: message, code, ...(meta === undefined ? {} : { context: meta }) }),
    headers: { 'content-type': 'application/problem+json', 'x-request-id': 'not-in-this-contract' },
    path: '/shipments/{id}',
    init: { params: { path: { id: 'shp_1' } } },
    declared: { status: 404, code: 'SHIPMENT_NOT_FOUND', meta: { shipmentId: 'shp_1' } },
    retryable: { status: 500, code: 'INTERNAL' },
    requestId: () => undefined,
    usage: `import { createClient } from './client';
const client = createClient();
export async function use() {
  const { error } = await client.POST('/shipments', { body: { carrier: 'dhl', address: { street: 's', city: 'c', postalCode: '1', country: 'US' } } });
  if (error?.code === 'INVALID_ADDRESS') { const status: 400 | 422 = error.status; const field: 'street' | 'city' | 'postalCode' | 'country' = error.meta.field; void status; void field; }
  // @ts-expect-error createShipment cannot return SHIPMENT_NOT_FOUND
  if (error?.code === 'SHIPMENT_NOT_FOUND') return;
}
`,
  },
];

let server: ScriptedServer;
const modules = new Map<string, { dir: string; module: Record<string, any> }>();

beforeAll(async () => {
  server = await startScriptedServer();
  for (const s of shapes) modules.set(s.fixture, await generateClient(`test/fixtures/${s.fixture}/openapi.yaml`));
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
});

describe.each(shapes)('$fixture envelope', (shape) => {
  const client = (options: object = {}) => modules.get(shape.fixture)!.module.createClient({ baseUrl: server.url, ...options });
  const reply = (status: number, code: string, meta?: unknown, headers: Record<string, string> = {}): Reply => ({ status, headers: { ...shape.headers, ...headers }, body: shape.body(code, `message of ${code}`, meta) });

  it('reads a declared error: code, status, message, meta, request id', async () => {
    const r = reply(shape.declared.status, shape.declared.code, shape.declared.meta);
    server.reply(r);
    const { error } = await client({ retry: false }).GET(shape.path, shape.init);
    expect(error).toMatchObject({ kind: 'contract', status: shape.declared.status, code: shape.declared.code, message: `message of ${shape.declared.code}`, meta: shape.declared.meta, requestId: shape.requestId(r) });
  });

  it('keeps an unknown code as a string on the unknown-code member', async () => {
    server.reply(reply(410, 'FROM_THE_FUTURE'));
    const { error } = await client({ retry: false }).GET(shape.path, shape.init);
    expect(error).toMatchObject({ kind: 'unknown', code: 'errata:unknown_code', serverCode: 'FROM_THE_FUTURE', status: 410, message: 'message of FROM_THE_FUTURE' });
  });

  it('turns a proxy page into errata:not_json with the raw text', async () => {
    server.reply({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>502</html>' });
    const { error } = await client({ retry: false }).GET(shape.path, shape.init);
    expect(error).toMatchObject({ kind: 'transport', code: 'errata:not_json', rawBody: '<html>502</html>' });
  });

  it('retries the catalog-retryable code found through the envelope pointer', async () => {
    const clock = fakeClock();
    server.reply(reply(shape.retryable.status, shape.retryable.code));
    const { data, error } = await client({ clock, retry: { baseDelayMs: 100 } }).GET(shape.path, shape.init);
    expect(error).toBeUndefined();
    expect(data).toEqual({ ok: true });
    expect(clock.sleeps).toEqual([75]);
  });

  it('does not retry a declared code marked retry: none', async () => {
    const clock = fakeClock();
    server.reply(reply(shape.declared.status, shape.declared.code, shape.declared.meta));
    await client({ clock }).GET(shape.path, shape.init);
    expect(server.received).toHaveLength(1);
  });
});

it('the generated clients typecheck, narrow by code and reject impossible codes, for every envelope', () => {
  const files = shapes.map((s) => {
    const file = path.join(modules.get(s.fixture)!.dir, 'usage.ts');
    writeFileSync(file, s.usage);
    return file;
  });
  const r = typecheck(files, undefined, { except: shapes.map((s) => runtimeCopy(modules.get(s.fixture)!.dir)) });
  expect(r.output).toBe('');
  expect(r.code).toBe(0);
});
