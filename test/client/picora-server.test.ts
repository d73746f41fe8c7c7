import { afterEach, describe, expect, it } from 'vitest';
import { demo, startPicoraServer, type PicoraServer, type PicoraServerOptions } from '../../examples/picora-server/server';
import { createClient } from '../../generated/client';
import { fakeClock } from './scripted-server';

/** The generated client against the example Picora server (built on the generated server helpers). */
let server: PicoraServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: PicoraServerOptions = {}) {
  server = await startPicoraServer({ port: 0, onUnexpected: () => undefined, ...options });
  const sent: string[] = [];
  const fetch = (request: Request) => {
    sent.push(`${request.method} ${new URL(request.url).pathname}`);
    return globalThis.fetch(request);
  };
  return { url: server.url, sent, fetch };
}

const auth = (key: string = demo.keys.alice) => ({ Authorization: `Bearer ${key}` });

describe('against the example Picora server', () => {
  it('reads its contract errors with typed meta and the x-request-id header', async () => {
    const { url, fetch } = await start();
    const client = createClient({ baseUrl: url, fetch, headers: auth() });
    const missing = await client.GET('/v1/images/{id}', { params: { path: { id: 'img_missing' } } });
    expect(missing.error).toMatchObject({ kind: 'contract', status: 404, code: 'NOT_FOUND', meta: { entity: 'Image' } });
    expect(missing.error!.requestId).toBeTruthy();
    expect(missing.error!.requestId).toBe(missing.response.headers.get('x-request-id'));
    if (missing.error?.code === 'NOT_FOUND') expect(missing.error.meta?.entity).toBe('Image');

    const other = await client.GET('/v1/images/{id}', { params: { path: { id: demo.bobImageId } } });
    expect(other.error).toMatchObject({ status: 403, code: 'FORBIDDEN' });

    const revoked = await createClient({ baseUrl: url, fetch, headers: auth(demo.keys.revoked) }).GET('/v1/images/{id}', { params: { path: { id: demo.bobImageId } } });
    expect(revoked.error).toMatchObject({ status: 401, code: 'API_KEY_REVOKED' });
  });

  it('honours its Retry-After on 429 and returns RATE_LIMITED with meta once attempts run out', async () => {
    const { url, sent, fetch } = await start({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const clock = fakeClock(Date.now());
    const client = createClient({ baseUrl: url, fetch, headers: auth(), clock, retry: { maxAttempts: 2, maxElapsedMs: 120_000 } });
    await client.GET('/v1/images/{id}', { params: { path: { id: 'img_missing' } } });
    const { error } = await client.GET('/v1/images/{id}', { params: { path: { id: 'img_missing' } } });
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', meta: { limit: 1, remaining: 0 } });
    expect(error!.retryAfter).toBeGreaterThan(0);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(0);
    expect(sent).toHaveLength(3);
  });

  it('does not retry a rate-limited POST, but does with an Idempotency-Key', async () => {
    const { url, sent, fetch } = await start({ rateLimit: { limit: 0, windowMs: 60_000 } });
    const clock = fakeClock(Date.now());
    const client = createClient({ baseUrl: url, fetch, headers: auth(), clock, retry: { maxElapsedMs: 600_000 } });
    const body = { markdown: '# Notes\n' };
    expect((await client.POST('/v1/docs', { body })).error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(sent).toEqual(['POST /v1/docs']);
    await client.POST('/v1/docs', { body, headers: { 'Idempotency-Key': 'doc-1' } });
    expect(sent).toHaveLength(4);
  });

  it('retries its INTERNAL error (catalog: backoff) with backoff', async () => {
    let failures = 2;
    const { url, sent, fetch } = await start({
      beforeHandler: (op) => {
        if (op === 'getImage' && failures-- > 0) throw new Error('database went away');
      },
    });
    const clock = fakeClock();
    const client = createClient({ baseUrl: url, fetch, headers: auth(), clock, retry: { baseDelayMs: 100 } });
    const { error } = await client.GET('/v1/images/{id}', { params: { path: { id: demo.bobImageId } } });
    expect(error).toMatchObject({ code: 'FORBIDDEN' });
    expect(sent).toHaveLength(3);
    expect(clock.sleeps).toEqual([75, 150]);
  });
});

describe('the operations the example gained', () => {
  it('reads MCP scope errors and video plan errors with their typed meta', async () => {
    const { url, fetch } = await start();
    const mcp = createClient({ baseUrl: url, fetch, headers: auth(demo.oauth.readToken) });
    const scope = await mcp.POST('/mcp', { body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'delete_doc', arguments: { id: 'doc_x' } } } });
    expect(scope.error).toMatchObject({ kind: 'contract', status: 403, code: 'OAUTH_SCOPE_INSUFFICIENT', meta: { required: ['docs:write'], granted: ['docs:read'] } });
    expect(scope.response.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    const listed = await mcp.POST('/mcp', { body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } });
    expect(listed.data).toMatchObject({ jsonrpc: '2.0', id: 2, result: { tools: expect.any(Array) } });

    const api = createClient({ baseUrl: url, fetch, headers: auth() });
    const other = await api.GET('/v1/videos/{id}', { params: { path: { id: demo.videos.bob } } });
    expect(other.error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const mine = await api.GET('/v1/videos/{id}', { params: { path: { id: demo.videos.playable } } });
    expect(mine.data?.data).toMatchObject({ id: demo.videos.playable, bandwidthState: 'ok' });
  });
});
