import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { startScriptedServer, type ScriptedServer } from '../client/scripted-server';
import { loadFixture, typecheckUsage, type Fixture } from './end-to-end';

/**
 * Issue 13, runtime bugs: what the server sends that the contract does not promise is never handed
 * on as the contract's type. A success body that is not JSON, and a declared code whose meta is
 * missing or breaks the code's meta schema, are `kind: 'malformed'` errors of their own; the
 * server's guard checks meta against the schema before sending it.
 */
const SPEC = path.join(ROOT, 'test/fixtures/problem-json/openapi.yaml');
const SHIPMENT = { carrier: 'dhl', address: { street: 's', city: 'c', postalCode: '1', country: 'US' } };

let f: Fixture;
let server: ScriptedServer;
beforeAll(async () => {
  f = await loadFixture(SPEC);
  server = await startScriptedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
});

const problem = (meta: unknown) => ({ status: 422, headers: { 'content-type': 'application/problem+json' }, body: { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'Bad address', code: 'INVALID_ADDRESS', ...(meta === undefined ? {} : { context: meta }) } });

describe('the client never hands on a typed lie', () => {
  it('a 2xx whose body is not JSON is an ApiError of kind malformed holding the text, not a SyntaxError', async () => {
    const client = f.client.createClient({ baseUrl: server.url, retry: false });
    server.reply({ status: 200, headers: { 'content-type': 'application/json' }, body: '<html>maintenance</html>' });
    const { data, error } = await client.GET('/shipments/{id}', { params: { path: { id: 'shp_1' } } });
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ kind: 'malformed', code: 'errata:malformed_success', status: 200, rawBody: '<html>maintenance</html>', serverCode: undefined });
    expect(error).toBeInstanceOf(f.client.ApiError);

    const throwing = f.client.createClient({ baseUrl: server.url, retry: false, throwOnError: true });
    server.reply({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": "shp_1", ' });
    await expect(throwing.GET('/shipments/{id}', { params: { path: { id: 'shp_1' } } })).rejects.toMatchObject({ kind: 'malformed', code: 'errata:malformed_success', rawBody: '{"id": "shp_1", ' });
  });

  it('a valid JSON success body and an empty 204 still come back as data', async () => {
    const client = f.client.createClient({ baseUrl: server.url, retry: false });
    server.reply({ status: 200, body: { id: 'shp_1' } });
    expect((await client.GET('/shipments/{id}', { params: { path: { id: 'shp_1' } } })).data).toEqual({ id: 'shp_1' });
  });

  it('a declared code whose meta breaks its schema, or lacks required meta, is malformed, not contract', async () => {
    const client = f.client.createClient({ baseUrl: server.url, retry: false });
    const cases: [unknown, RegExp][] = [
      [{ field: 1 }, /\/field: expected string, got number/],
      [{ field: 'planet' }, /\/field: expected one of "street", "city", "postalCode", "country"/],
      [{ reason: 'no field' }, /\/field: missing/],
      [undefined, /missing/],
    ];
    for (const [meta, why] of cases) {
      server.reply(problem(meta));
      const { error } = await client.POST('/shipments', { body: SHIPMENT });
      expect(error, JSON.stringify(meta)).toMatchObject({ kind: 'malformed', code: 'errata:malformed_meta', serverCode: 'INVALID_ADDRESS', status: 422, meta });
      expect(error.message).toMatch(why);
    }
    server.reply(problem({ field: 'city', reason: 'unknown city' }));
    expect((await client.POST('/shipments', { body: SHIPMENT })).error).toMatchObject({ kind: 'contract', code: 'INVALID_ADDRESS', meta: { field: 'city' } });
  });

  it('the malformed member is in every call’s error type, its meta unknown', () => {
    const r = typecheckUsage(
      f.out,
      `import { createClient } from './client';
const client = createClient();
export async function use() {
  const { error } = await client.POST('/shipments', { body: ${JSON.stringify(SHIPMENT)} });
  if (error?.kind === 'malformed') {
    const code: 'errata:malformed_meta' | 'errata:malformed_success' = error.code;
    const meta: unknown = error.meta;
    // @ts-expect-error malformed meta is not typed as the code's
    void error.meta.field;
    void code; void meta;
  }
  if (error?.code === 'INVALID_ADDRESS') { const field: 'street' | 'city' | 'postalCode' | 'country' = error.meta.field; void field; }
}
`,
    );
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the server guard checks meta against its schema', () => {
  it('refuses meta of the wrong shape in development, naming the member; sends valid meta', () => {
    const errata = f.server.createServerErrors({ guard: true });
    expect(() => errata.errors.createShipment({ code: 'INVALID_ADDRESS', status: 422, meta: { field: 1 } })).toThrow(/createShipment cannot return INVALID_ADDRESS with status 422: its `meta` does not match the code's meta schema \(\/field: expected string, got number\)/);
    expect(() => errata.errors.createShipment({ code: 'INVALID_ADDRESS', status: 422, meta: { field: 'moon' } })).toThrow(f.server.ContractViolation);
    expect(errata.errors.createShipment({ code: 'INVALID_ADDRESS', status: 422, meta: { field: 'city' } }).body.context).toEqual({ field: 'city' });
    // Production trusts its caller, as for every other guard check.
    expect(f.server.createServerErrors({ guard: false }).errors.createShipment({ code: 'INVALID_ADDRESS', status: 422, meta: { field: 1 } }).status).toBe(422);
  });
});
