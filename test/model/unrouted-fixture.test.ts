import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runtimeCopy, typecheck } from '../helpers/cli';
import { generated } from '../helpers/generate';
import { parseJsonReports, run } from '../lint/redocly';
import { configDir } from '../lint/setup';

/**
 * Issue 13, item 2, end to end on test/fixtures/unrouted-edge: errors no operation owns
 * (`x-errata.unrouted`) through generate, lint, a server over loopback built with the generated
 * unrouted builder, and the generated client, which reads them on any call.
 */
const SPEC = 'test/fixtures/unrouted-edge/openapi.yaml';

describe('unrouted errors end to end (test/fixtures/unrouted-edge)', () => {
  let out: string;
  let server: any;
  let http: Server;
  let url: string;

  beforeAll(async () => {
    out = await generated({ spec: SPEC }, [], { nodeModules: true });
    server = await import(path.join(out, 'server.ts'));
    const errata = server.createServerErrors({ guard: true, generateRequestId: () => 'req_1', onUnexpected: () => {} });
    // The server implements GET only: DELETE is declared but not deployed yet, so it answers 405.
    http = createServer(
      errata.node(async (req: IncomingMessage, _res: unknown, scope: any) => {
        const { pathname } = new URL(req.url ?? '/', 'http://x');
        if (req.headers['x-over-limit']) return scope.unrouted({ code: 'EDGE_RATE_LIMITED', retryAfter: 7, meta: { limit: 100 } });
        const item = /^\/items\/([^/]+)$/.exec(pathname);
        if (!item) return scope.unrouted({ code: 'ROUTE_NOT_FOUND' });
        if (req.method !== 'GET') return scope.unrouted({ code: 'METHOD_NOT_ALLOWED', headers: { Allow: 'GET' } });
        if (item[1] === 'boom') throw new Error('disk on fire');
        if (item[1] !== 'it_1') return scope.errors.getItem({ code: 'ITEM_NOT_FOUND' });
        return scope.json(200, { id: 'it_1' });
      }),
    );
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve())));

  it('lints clean with Redocly’s recommended rules and errata’s', async () => {
    // The envelope schema is used through `x-errata`, which Redocly's usage count does not see.
    const dir = await configDir('extends: [recommended, errata/all]\nrules: { no-unused-components: off }');
    const r = await run(['lint', path.join(ROOT, SPEC), '--format', 'json', '--config', path.join(dir, 'redocly.yaml')], dir);
    expect(parseJsonReports(r.stdout)[0]!.problems.map((p) => `${p.ruleId} ${p.message}`)).toEqual([]);
  });

  it('answers each unrouted error over HTTP with its declared headers, the body its bundled example shows', async () => {
    const bundled = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'));
    const responseAt = (status: string) => {
      const raw = bundled['x-errata'].unrouted[status];
      return raw.$ref ? bundled.components.responses[raw.$ref.split('/').pop()] : raw;
    };
    const example = (status: string, code: string) => JSON.stringify(responseAt(status).content['application/json'].examples[code].value);

    const unknown = await fetch(`${url}/nowhere`);
    expect([unknown.status, unknown.headers.get('x-request-id'), await unknown.text()]).toEqual([404, 'req_1', example('404', 'ROUTE_NOT_FOUND')]);
    const wrong = await fetch(`${url}/items/it_1`, { method: 'DELETE' });
    expect([wrong.status, wrong.headers.get('allow'), await wrong.text()]).toEqual([405, 'GET', example('405', 'METHOD_NOT_ALLOWED')]);
    const limited = await fetch(`${url}/items/it_1`, { headers: { 'x-over-limit': '1' } });
    expect([limited.status, limited.headers.get('retry-after'), await limited.text()]).toEqual([429, '7', example('429', 'EDGE_RATE_LIMITED')]);
    const boom = await fetch(`${url}/items/boom`);
    expect([boom.status, await boom.json()]).toEqual([500, { error: { code: 'INTERNAL', message: 'Something went wrong.' } }]);
  });

  it('the guard refuses what the rules refuse: a missing Allow, an operation’s code, a missing Retry-After', () => {
    const { unrouted } = server.createServerErrors({ guard: true });
    expect(() => unrouted({ code: 'METHOD_NOT_ALLOWED' })).toThrow("errata guard: x-errata.unrouted cannot return METHOD_NOT_ALLOWED with status 405: its response declares allow; pass `headers: { 'allow': … }`");
    expect(() => unrouted({ code: 'ITEM_NOT_FOUND' })).toThrow(/x-errata.unrouted cannot return ITEM_NOT_FOUND/);
    expect(() => unrouted({ code: 'EDGE_RATE_LIMITED', meta: { limit: 1 } })).toThrow(/requires a Retry-After header/);
  });

  it('the client reads unrouted codes on any call as contract errors, besides the operation’s own', async () => {
    const { createClient } = await import(path.join(out, 'client.ts'));
    const client = createClient({ baseUrl: url, retry: false });
    const read = async (p: Promise<{ error?: any }>) => {
      const { error } = await p;
      return [error?.kind, error?.status, error?.code, error?.operation];
    };
    expect(await read(client.GET('/items/{id}', { params: { path: { id: 'nope' } } }))).toEqual(['contract', 404, 'ITEM_NOT_FOUND', 'getItem']);
    expect(await read(client.DELETE('/items/{id}', { params: { path: { id: 'it_1' } } }))).toEqual(['contract', 405, 'METHOD_NOT_ALLOWED', 'deleteItem']);
    expect(await read(client.GET('/items/{id}', { params: { path: { id: 'it_1' } }, headers: { 'x-over-limit': '1' } }))).toEqual(['contract', 429, 'EDGE_RATE_LIMITED', 'getItem']);
    expect(await read(client.GET('/items/{id}', { params: { path: { id: 'boom' } } }))).toEqual(['contract', 500, 'INTERNAL', 'getItem']);
    // A server on an older base path: every route is unknown there.
    const lost = createClient({ baseUrl: `${url}/v0`, retry: false });
    expect(await read(lost.GET('/items/{id}', { params: { path: { id: 'it_1' } } }))).toEqual(['contract', 404, 'ROUTE_NOT_FOUND', 'getItem']);
  });

  it('types the unrouted builder like an operation builder, and every call’s error with the unrouted codes', () => {
    const file = path.join(path.dirname(out), 'uses.ts');
    writeFileSync(
      file,
      `import { errors, errata } from './generated/server';
import { createClient } from './generated/client';
errata.unrouted({ code: 'ROUTE_NOT_FOUND' });
errata.unrouted({ code: 'METHOD_NOT_ALLOWED', headers: { allow: 'GET' } });
// @ts-expect-error a 405 needs its Allow header
errata.unrouted({ code: 'METHOD_NOT_ALLOWED' });
// @ts-expect-error ITEM_NOT_FOUND belongs to operations, not to unrouted errors
errata.unrouted({ code: 'ITEM_NOT_FOUND' });
// @ts-expect-error EDGE_RATE_LIMITED is retry: after
errata.unrouted({ code: 'EDGE_RATE_LIMITED', meta: { limit: 1 } });
// @ts-expect-error EDGE_RATE_LIMITED requires its meta
errata.unrouted({ code: 'EDGE_RATE_LIMITED', retryAfter: 1 });
errata.unrouted({ code: 'EDGE_RATE_LIMITED', retryAfter: 1, meta: { limit: 1 } });
// @ts-expect-error ROUTE_NOT_FOUND is a 404
errata.unrouted({ code: 'ROUTE_NOT_FOUND', status: 410 });
// @ts-expect-error operations still cannot send unrouted codes
errors.getItem({ code: 'ROUTE_NOT_FOUND' });
export async function narrow(): Promise<405 | undefined> {
  const { error } = await createClient().DELETE('/items/{id}', { params: { path: { id: 'x' } } });
  if (error?.code === 'METHOD_NOT_ALLOWED') return error.status;
  if (error?.code === 'EDGE_RATE_LIMITED') { const limit: number = error.meta.limit; void limit; }
  // @ts-expect-error not a code of this call nor an unrouted one
  if (error?.code === 'NOT_A_CODE') return undefined;
  return undefined;
}
`,
    );
    expect(typecheck([file], path.dirname(out), { except: [runtimeCopy(out)] }).output).toBe('');
  });
});
