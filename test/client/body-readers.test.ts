import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateClient } from './generated-client';
import { fakeClock, startScriptedServer, type ScriptedServer } from './scripted-server';

/**
 * Who reads an error body. A call of the client whose error body nothing else sees has it read once
 * by the client (the retry decision and the error share that read); a call where someone else may
 * read it (an onResponse middleware, onRetry, `client.raw`, the caller's own fetch, `withRetry`
 * alone) leaves them the whole body. Real fetch on loopback, retries on (their decision reads bodies).
 */

type PicoraClient = typeof import('../../generated/client');

let server: ScriptedServer;
let picora: PicoraClient;

beforeAll(async () => {
  picora = (await generateClient<PicoraClient>('openapi/openapi.yaml')).module;
});
// A server per test: replies a failing test left queued never reach the next one.
beforeEach(async () => {
  server = await startScriptedServer();
});
afterEach(() => server.close());

const image = { params: { path: { id: 'img_1' } } };
const notFound = { success: false, error: 'No image img_1', code: 'NOT_FOUND', meta: { entity: 'Image' } };
const reply = () => ({ status: 404, headers: { 'x-request-id': 'req_nf' }, body: notFound });
const typed = { kind: 'contract', status: 404, code: 'NOT_FOUND', requestId: 'req_nf', rawBody: JSON.stringify(notFound) };

describe('a call nothing else reads', () => {
  for (const retry of [undefined, false] as const) {
    it(`returns the response as fetched, its body read by the client (retry ${retry === false ? 'off' : 'on'})`, async () => {
      const client = picora.createClient({ baseUrl: server.url, clock: fakeClock(), ...(retry === false ? { retry } : {}) });
      server.reply(reply());
      const { error, response } = await client.GET('/v1/images/{id}', image);
      expect(error).toMatchObject(typed);
      expect(error!.body).toEqual(notFound);
      expect(error!.response).toBe(response);
      expect(response.bodyUsed).toBe(true);
      expect(response.url).toBe(`${server.url}/v1/images/img_1`);
      expect(response.headers.get('x-request-id')).toBe('req_nf');
      // The client's read is kept with the response: reading it again gives the same error.
      expect(await picora.readApiError(picora.clientContract, response, { operation: 'getImage' })).toMatchObject(typed);
    });
  }

  it('gives a returned error no stack trace, and unwrap() and throwOnError one', async () => {
    const client = picora.createClient({ baseUrl: server.url, retry: false });
    server.reply(reply(), reply(), reply());
    const { error } = await client.GET('/v1/images/{id}', image);
    expect(error!.stack).toBe('ApiError: No image img_1');
    const unwrapped = await picora.unwrap(client.GET('/v1/images/{id}', image)).then(() => undefined, (e: unknown) => e as Error);
    expect(unwrapped).toMatchObject(typed);
    expect(unwrapped?.stack).toMatch(/\n\s+at /);
    const throwing = picora.createClient({ baseUrl: server.url, retry: false, throwOnError: true });
    const thrown = await throwing.GET('/v1/images/{id}', image).then(() => undefined, (e: unknown) => e as Error);
    expect(thrown).toMatchObject(typed);
    expect(thrown?.stack).toMatch(/\n\s+at /);
  });
});

describe('middleware that only changes requests', () => {
  it('runs on the client’s own calls, added with use() or raw.use(), until ejected', async () => {
    const client = picora.createClient({ baseUrl: server.url, clock: fakeClock() });
    const auth = {
      onRequest({ request }: { request: Request }) {
        request.headers.set('authorization', 'Bearer t');
        return request;
      },
    };
    const tag = {
      onRequest({ request }: { request: Request }) {
        request.headers.set('x-tag', 'raw');
        return undefined;
      },
    };
    client.use(auth);
    client.raw.use(tag);
    server.reply(reply(), reply());
    const { error, response } = await client.GET('/v1/images/{id}', image);
    expect(error).toMatchObject(typed);
    // No onResponse anywhere: the client reads the body itself and returns the response as fetched.
    expect(error!.response).toBe(response);
    expect(response.bodyUsed).toBe(true);
    client.eject(auth, tag);
    expect((await client.GET('/v1/images/{id}', image)).error).toMatchObject(typed);
    expect(server.received.map((r) => [r.headers.authorization, r.headers['x-tag']])).toEqual([
      ['Bearer t', 'raw'],
      [undefined, undefined],
    ]);
  });
});

describe('calls where someone else may read the body', () => {
  it('leaves the whole body to an onResponse middleware added with use()', async () => {
    const client = picora.createClient({ baseUrl: server.url, clock: fakeClock() });
    const seen: string[] = [];
    client.use({
      async onResponse({ response }) {
        if (!response.ok) seen.push(await response.clone().text());
        return undefined;
      },
    });
    server.reply(reply());
    const { error, response } = await client.GET('/v1/images/{id}', image);
    expect(seen).toEqual([JSON.stringify(notFound)]);
    expect(error).toMatchObject(typed);
    expect(error!.response).toBe(response);
  });

  it('leaves the whole body to a per-call onResponse middleware', async () => {
    const client = picora.createClient({ baseUrl: server.url, clock: fakeClock() });
    const seen: unknown[] = [];
    const middleware = {
      async onResponse({ response }: { response: Response }) {
        if (!response.ok) seen.push(await response.clone().json());
        return undefined;
      },
    };
    server.reply(reply());
    const { error } = await client.GET('/v1/images/{id}', { ...image, middleware: [middleware] });
    expect(seen).toEqual([notFound]);
    expect(error).toMatchObject(typed);
  });

  it('leaves the whole body to an onRetry hook that keeps the response', async () => {
    const kept: Promise<string>[] = [];
    const client = picora.createClient({
      baseUrl: server.url,
      clock: fakeClock(),
      retry: { onRetry: (event) => void kept.push(event.response!.clone().text()) },
    });
    const limited = { success: false, error: 'Slow down', code: 'RATE_LIMITED', meta: { limit: 1, remaining: 0 } };
    server.reply({ status: 429, headers: { 'retry-after': '1' }, body: limited }, reply());
    const { error } = await client.GET('/v1/images/{id}', image);
    expect(await Promise.all(kept)).toEqual([JSON.stringify(limited)]);
    expect(error).toMatchObject(typed);
  });

  it('gives client.raw openapi-fetch’s parsed error and a response with its URL', async () => {
    const client = picora.createClient({ baseUrl: server.url, clock: fakeClock() });
    server.reply(reply());
    const { error, response } = await client.raw.GET('/v1/images/{id}', image);
    expect(error).toEqual(notFound);
    expect(response.status).toBe(404);
    expect(response.url).toBe(`${server.url}/v1/images/img_1`);
  });

  it('calls the fetch a call passes, and reads the error from what it returns', async () => {
    const client = picora.createClient({ baseUrl: server.url, clock: fakeClock() });
    const fetched: Response[] = [];
    const fetch = async (request: Request) => {
      const response = await globalThis.fetch(request);
      fetched.push(response);
      return response;
    };
    server.reply(reply());
    const { error, response } = await client.GET('/v1/images/{id}', { ...image, fetch });
    expect(fetched).toHaveLength(1);
    expect(error).toMatchObject(typed);
    expect(error!.response).toBe(response);
    expect(response.url).toBe(`${server.url}/v1/images/img_1`);
  });
});

describe('withRetry alone', () => {
  it('retries a 503 and hands the final response on with its body unread', async () => {
    const clock = fakeClock();
    const fetch = picora.withRetry((request) => globalThis.fetch(request), picora.clientContract, { clock });
    server.reply({ status: 503, headers: { 'content-type': 'text/html' }, body: '<h1>503</h1>' }, reply());
    const response = await fetch(new Request(`${server.url}/v1/images/img_1`));
    expect(server.received).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(response.status).toBe(404);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual(notFound);
  });
});
