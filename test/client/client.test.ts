import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operationRules } from '../../generator/model/rules';
import type { CatalogCode } from '../../generator/model/types';
import { readApiError, type ClientContract } from '../../runtime/client';
import { generateClient } from './generated-client';
import { fakeClock, startScriptedServer, type ScriptedServer } from './scripted-server';

type PicoraClient = typeof import('../../generated/client');

let server: ScriptedServer;
let picora: PicoraClient;

beforeAll(async () => {
  server = await startScriptedServer();
  picora = (await generateClient<PicoraClient>('openapi/openapi.yaml')).module;
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
});

/** A Picora envelope, as the contract describes it: `{ success: false, error, code, meta }` + x-request-id. */
function picoraError(status: number, code: string, meta?: unknown, headers: Record<string, string> = {}) {
  return { status, headers: { 'x-request-id': `req_${code.toLowerCase()}`, ...headers }, body: { success: false, error: `message of ${code}`, code, ...(meta === undefined ? {} : { meta }) } };
}

const image = { params: { path: { id: 'img_1' } } };

describe('contract errors', () => {
  it('reads status, code, message, typed meta, request id and Retry-After from a declared error', async () => {
    const client = picora.createClient({ baseUrl: server.url, retry: false });
    server.reply(picoraError(429, 'RATE_LIMITED', { limit: 100, remaining: 0 }, { 'retry-after': '7' }));
    const { data, error, response } = await client.GET('/v1/images/{id}', image);
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(picora.ApiError);
    expect(error).toMatchObject({ kind: 'contract', status: 429, code: 'RATE_LIMITED', serverCode: 'RATE_LIMITED', message: 'message of RATE_LIMITED', requestId: 'req_rate_limited', retryAfter: 7, operation: 'getImage' });
    expect(error!.code === 'RATE_LIMITED' && error!.meta).toEqual({ limit: 100, remaining: 0 });
    expect(error!.response).toBe(response);
    expect(response.status).toBe(429);
    expect(server.received[0]).toMatchObject({ method: 'GET', url: '/v1/images/img_1' });
  });

  it('returns data untouched on success', async () => {
    const client = picora.createClient({ baseUrl: server.url });
    server.reply({ status: 200, body: { success: true, data: { id: 'img_1' } } });
    const { data, error } = await client.GET('/v1/images/{id}', image);
    expect(error).toBeUndefined();
    expect(data).toEqual({ success: true, data: { id: 'img_1' } });
  });

  it('keeps a code the contract does not know as an unknown-code error (a newer server)', async () => {
    const client = picora.createClient({ baseUrl: server.url, retry: false });
    server.reply(picoraError(409, 'IMAGE_LOCKED_FOR_REVIEW', { reviewer: 'x' }));
    const { error } = await client.GET('/v1/images/{id}', image);
    expect(error).toMatchObject({ kind: 'unknown', status: 409, code: picora.ReservedCode.unknownCode, serverCode: 'IMAGE_LOCKED_FOR_REVIEW', message: 'message of IMAGE_LOCKED_FOR_REVIEW', requestId: 'req_image_locked_for_review', meta: { reviewer: 'x' } });
  });

  it('treats a catalog code the operation does not declare under that status as unknown, so typed members never lie', async () => {
    const client = picora.createClient({ baseUrl: server.url, retry: false });
    server.reply(picoraError(403, 'QUOTA_EXCEEDED', { type: 'img_storage', used: 1, limit: 1 }), picoraError(500, 'NOT_FOUND'));
    expect((await client.GET('/v1/images/{id}', image)).error).toMatchObject({ kind: 'unknown', code: 'errata:unknown_code', serverCode: 'QUOTA_EXCEEDED' });
    expect((await client.GET('/v1/images/{id}', image)).error).toMatchObject({ kind: 'unknown', code: 'errata:unknown_code', serverCode: 'NOT_FOUND', status: 500 });
  });
});

describe('status keys', () => {
  const catalog = { NOT_FOUND: { status: [404], retry: 'none' }, GONE_ISH: { status: [404, 410], retry: 'none' }, BROKEN: { status: [500, 503], retry: 'none' } } as const;
  // The client reads the rules errata computes once in the model (generator/model/rules.ts).
  const codes = new Map(Object.entries(catalog).map(([code, c]) => [code, { code, statuses: [...c.status], retry: c.retry, metaRequired: false } as unknown as CatalogCode]));
  const contract = (errors: Record<string, string[]>): ClientContract => ({
    envelope: { mediaType: 'application/json', code: ['code'], message: ['message'], meta: undefined, requestIdHeader: undefined, requestIdBody: undefined },
    catalog,
    operations: { op: { method: 'get', path: '/x', rules: operationRules(Object.entries(errors).map(([status, list]) => ({ status, codes: list, headers: [], pointer: '' })), codes, false) } },
  });
  const read = async (c: ClientContract, status: number, code: string) => {
    const e = await readApiError(c, new Response(JSON.stringify({ code, message: 'm' }), { status }), { operation: 'op' });
    return e.kind;
  };

  it('reads the exact key before a range and a range before default, as the server guard sends them', async () => {
    const c = contract({ '404': ['NOT_FOUND'], '4XX': ['GONE_ISH'], '503': ['BROKEN'], default: ['BROKEN', 'GONE_ISH'] });
    expect(await read(c, 404, 'NOT_FOUND')).toBe('contract');
    // 404 has its own response: GONE_ISH is not in it, whatever 4XX and default list.
    expect(await read(c, 404, 'GONE_ISH')).toBe('unknown');
    expect(await read(c, 410, 'GONE_ISH')).toBe('contract');
    expect(await read(c, 500, 'BROKEN')).toBe('contract');
    expect(await read(c, 503, 'BROKEN')).toBe('contract');
  });

  it('reads a lower-case range key as a range, as the model and the guard do', async () => {
    const c = contract({ '404': ['NOT_FOUND'], '4xx': ['GONE_ISH'] });
    expect(await read(c, 410, 'GONE_ISH')).toBe('contract');
    expect(await read(c, 404, 'GONE_ISH')).toBe('unknown');
  });
});

describe('bodies that are not the envelope', () => {
  const cases = [
    { name: 'an HTML 502 page from a proxy', reply: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }, code: 'errata:not_json' },
    { name: 'an empty body with Content-Length: 0', reply: { status: 500 }, code: 'errata:empty_body' },
    { name: 'an empty chunked body', reply: { status: 500, chunked: true }, code: 'errata:empty_body' },
    { name: 'truncated JSON', reply: { status: 500, headers: { 'content-type': 'application/json' }, body: '{"success":false,"error":"boom","co' }, code: 'errata:invalid_json' },
    { name: 'JSON without a code', reply: { status: 500, body: { message: 'Internal Server Error' } }, code: 'errata:not_envelope' },
  ];
  for (const c of cases) {
    it(`turns ${c.name} into ${c.code}, keeping the raw text`, async () => {
      const client = picora.createClient({ baseUrl: server.url, retry: false });
      server.reply({ ...c.reply, headers: { 'x-request-id': 'req_proxy', ...c.reply.headers } });
      const { error } = await client.GET('/v1/images/{id}', image);
      const raw = c.reply.body === undefined ? '' : typeof c.reply.body === 'string' ? c.reply.body : JSON.stringify(c.reply.body);
      expect(error).toMatchObject({ kind: 'transport', code: c.code, status: c.reply.status, serverCode: undefined, meta: undefined, rawBody: raw, requestId: 'req_proxy' });
      expect(error!.message).toMatch(new RegExp(`^HTTP ${c.reply.status} with `));
    });
  }
});

describe('throwing style', () => {
  it('throws the ApiError with throwOnError and resolves to { data } otherwise', async () => {
    const client = picora.createClient({ baseUrl: server.url, retry: false, throwOnError: true });
    server.reply(picoraError(404, 'NOT_FOUND', { entity: 'Image' }), { status: 200, body: { success: true, data: { id: 'img_1' } } });
    const thrown = await client.GET('/v1/images/{id}', image).catch((e: unknown) => e);
    expect(picora.isApiError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ name: 'ApiError', status: 404, code: 'NOT_FOUND', requestId: 'req_not_found' });
    expect((await client.GET('/v1/images/{id}', image)).data).toEqual({ success: true, data: { id: 'img_1' } });
  });

  it('unwrap() throws one call of a non-throwing client', async () => {
    const client = picora.createClient({ baseUrl: server.url, retry: false });
    server.reply(picoraError(403, 'FORBIDDEN'));
    await expect(picora.unwrap(client.GET('/v1/images/{id}', image))).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });
});

describe('retries', () => {
  it('honours Retry-After in seconds on 429, then returns the success', async () => {
    const clock = fakeClock();
    const client = picora.createClient({ baseUrl: server.url, clock });
    server.reply(picoraError(429, 'RATE_LIMITED', { limit: 1, remaining: 0 }, { 'retry-after': '2' }));
    const { data, error } = await client.GET('/v1/images/{id}', image);
    expect(error).toBeUndefined();
    expect(data).toEqual({ ok: true });
    expect(clock.sleeps).toEqual([2000]);
    expect(server.received).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP-date on 503, measured with the injected clock', async () => {
    const clock = fakeClock();
    const client = picora.createClient({ baseUrl: server.url, clock });
    server.reply({ status: 503, headers: { 'retry-after': new Date(clock.time + 5000).toUTCString() }, body: '<h1>Service Unavailable</h1>' });
    const { error } = await client.GET('/v1/images/{id}', image);
    expect(error).toBeUndefined();
    expect(clock.sleeps).toEqual([5000]);
  });

  it('backs off exponentially with jitter on catalog-retryable codes and gives up after maxAttempts', async () => {
    const clock = fakeClock();
    const randoms = [0, 1];
    clock.random = () => randoms.shift() ?? 0;
    const client = picora.createClient({ baseUrl: server.url, clock, retry: { maxAttempts: 3, baseDelayMs: 100 } });
    server.reply(picoraError(500, 'INTERNAL'), picoraError(500, 'INTERNAL'), picoraError(500, 'INTERNAL'));
    const { error } = await client.GET('/v1/images/{id}', image);
    expect(error).toMatchObject({ code: 'INTERNAL', status: 500 });
    // Equal jitter: attempt n waits between half and all of 100 · 2^(n-1).
    expect(clock.sleeps).toEqual([50, 200]);
    expect(server.received).toHaveLength(3);
  });

  it('does not retry codes the catalog marks retry: none', async () => {
    const clock = fakeClock();
    const client = picora.createClient({ baseUrl: server.url, clock });
    server.reply(picoraError(404, 'NOT_FOUND', { entity: 'Image' }));
    expect((await client.GET('/v1/images/{id}', image)).error).toMatchObject({ code: 'NOT_FOUND' });
    expect(clock.sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it('retries a proxy 502 page with backoff', async () => {
    const clock = fakeClock();
    const client = picora.createClient({ baseUrl: server.url, clock, retry: { baseDelayMs: 100 } });
    server.reply({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' });
    expect((await client.GET('/v1/images/{id}', image)).data).toEqual({ ok: true });
    expect(clock.sleeps).toEqual([75]);
  });

  it('retries when the connection drops', async () => {
    const clock = fakeClock();
    const client = picora.createClient({ baseUrl: server.url, clock, retry: { baseDelayMs: 100 } });
    server.reply({ destroy: true });
    expect((await client.GET('/v1/images/{id}', image)).data).toEqual({ ok: true });
    expect(clock.sleeps).toEqual([75]);
    expect(server.received).toHaveLength(2);
  });

  it('stops when the next wait would pass maxElapsedMs and returns the error with its Retry-After', async () => {
    const clock = fakeClock();
    const client = picora.createClient({ baseUrl: server.url, clock, retry: { maxElapsedMs: 60_000 } });
    server.reply(picoraError(429, 'RATE_LIMITED', { limit: 1, remaining: 0 }, { 'retry-after': '120' }));
    const { error } = await client.GET('/v1/images/{id}', image);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 120 });
    expect(clock.sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  describe('non-idempotent requests', () => {
    const doc = { body: { markdown: '# Hello\n\nbody that must arrive whole on every attempt' } };
    const busy = () => picoraError(429, 'RATE_LIMITED', { limit: 1, remaining: 0 }, { 'retry-after': '1' });

    it('never retries a POST by default', async () => {
      const clock = fakeClock();
      const client = picora.createClient({ baseUrl: server.url, clock });
      server.reply(busy());
      const { error } = await client.POST('/v1/docs', doc);
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
      expect(server.received).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    });

    it('retries a POST carrying an Idempotency-Key, re-sending the same body', async () => {
      const clock = fakeClock();
      const client = picora.createClient({ baseUrl: server.url, clock });
      server.reply(busy(), busy());
      const { data } = await client.POST('/v1/docs', { ...doc, headers: { 'Idempotency-Key': 'key-1' } });
      expect(data).toEqual({ ok: true });
      expect(server.received.map((r) => [r.method, r.body, r.headers['idempotency-key']])).toEqual(Array(3).fill(['POST', JSON.stringify(doc.body), 'key-1']));
      expect(clock.sleeps).toEqual([1000, 1000]);
    });

    it('retries a POST when the caller opts in', async () => {
      const clock = fakeClock();
      const client = picora.createClient({ baseUrl: server.url, clock, retry: { retryNonIdempotent: true } });
      server.reply(busy());
      expect((await client.POST('/v1/docs', doc)).data).toEqual({ ok: true });
      expect(server.received.map((r) => r.body)).toEqual([JSON.stringify(doc.body), JSON.stringify(doc.body)]);
    });
  });

  it('is cancelled by the AbortSignal while waiting, without another attempt', async () => {
    const controller = new AbortController();
    // The real clock: the abort comes before the 30 s wait, so nothing actually waits.
    const client = picora.createClient({ baseUrl: server.url, retry: { onRetry: () => controller.abort(new Error('user cancelled')) } });
    server.reply(picoraError(429, 'RATE_LIMITED', { limit: 1, remaining: 0 }, { 'retry-after': '30' }));
    await expect(client.GET('/v1/images/{id}', { ...image, signal: controller.signal })).rejects.toThrow('user cancelled');
    expect(server.received).toHaveLength(1);
  });

  it('is cancelled by the AbortSignal in the middle of a wait that has already started', async () => {
    const controller = new AbortController();
    // The abort is scheduled from onRetry, so it lands while the real one-hour sleep is pending: a
    // sleep that ignored the signal would hold the call past the test's timeout.
    const client = picora.createClient({ baseUrl: server.url, retry: { maxElapsedMs: 7_200_000, onRetry: () => void setTimeout(() => controller.abort(new Error('cancelled mid-wait')), 0) } });
    server.reply({ status: 503, headers: { 'content-type': 'text/html', 'retry-after': '3600' }, body: '<h1>Down for maintenance</h1>' });
    await expect(client.GET('/v1/images/{id}', { ...image, signal: controller.signal })).rejects.toThrow('cancelled mid-wait');
    expect(server.received).toHaveLength(1);
  });

  it('reports each retry through onRetry', async () => {
    const clock = fakeClock();
    const events: unknown[] = [];
    const client = picora.createClient({ baseUrl: server.url, clock, retry: { onRetry: (e) => events.push({ attempt: e.attempt, delayMs: e.delayMs, reason: e.reason, status: e.response?.status }) } });
    server.reply(picoraError(429, 'RATE_LIMITED', { limit: 1, remaining: 0 }, { 'retry-after': '3' }));
    await client.GET('/v1/images/{id}', image);
    expect(events).toEqual([{ attempt: 1, delayMs: 3000, reason: 'retry-after', status: 429 }]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates, and ignores anything else', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(picora.parseRetryAfter('0', now)).toBe(0);
    expect(picora.parseRetryAfter(' 42 ', now)).toBe(42);
    expect(picora.parseRetryAfter('Thu, 01 Jan 2026 12:00:10 GMT', now)).toBe(10);
    expect(picora.parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(picora.parseRetryAfter('-5', now)).toBeUndefined();
    expect(picora.parseRetryAfter('soon', now)).toBeUndefined();
    expect(picora.parseRetryAfter(null, now)).toBeUndefined();
  });
});
