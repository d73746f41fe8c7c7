import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createErrataClient, withRetry, type ClientContract } from '../../runtime/client';
import { createServerErrors, type ServerContract } from '../../runtime/server';

/** Issue 12, items 3 (runtime), 8 (nosniff), 13, 14 and 15, over real HTTP on loopback. */

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push({ close: () => server.close() });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function serverContract(overrides: Partial<ServerContract['envelope']> = {}): ServerContract {
  return {
    envelope: { mediaType: 'application/json', code: ['code'], message: ['message'], meta: undefined, requestIdHeader: 'x-request-id', requestIdBody: undefined, ...overrides },
    catalog: { NOT_FOUND: { status: [404], message: 'Not found.', retry: 'none', metaRequired: false }, INTERNAL: { status: [500], message: 'Internal.', retry: 'none', metaRequired: false } },
    operations: { getThing: { rules: { NOT_FOUND: { statuses: [404], meta: false, retryAfter: false } } } },
    base: {},
    statusMember: undefined,
    titleMember: undefined,
    internalCode: 'INTERNAL',
  };
}

const clientContract: ClientContract = {
  envelope: { mediaType: 'application/json', code: ['code'], message: ['message'], meta: undefined, requestIdHeader: 'x-request-id', requestIdBody: undefined },
  catalog: { NOT_FOUND: { status: [404], retry: 'none' }, SLOW_DOWN: { status: [429], retry: 'after' } },
  operations: { getThing: { method: 'get', path: '/things', rules: { NOT_FOUND: { statuses: [404] }, SLOW_DOWN: { statuses: [429] } } } },
};

describe('pointer walks stay on own properties (issue 12, item 3, runtime)', () => {
  it('a body pointer through __proto__ writes a member, never Object.prototype', () => {
    const errata = createServerErrors<any>(serverContract({ requestIdBody: ['__proto__', 'isAdmin'] }), { guard: false });
    const result = errata.errors.getThing!({ code: 'NOT_FOUND', requestId: 'req_1' } as never);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(result.body)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(result.body))).toEqual({ code: 'NOT_FOUND', message: 'Not found.', ['__proto__']: { isAdmin: 'req_1' } });
  });

  it('a last token named __proto__ keeps the value as a member (an assignment would drop it)', () => {
    const errata = createServerErrors<any>(serverContract({ message: ['__proto__'] }), { guard: false });
    const result = errata.errors.getThing!({ code: 'NOT_FOUND', message: 'kept' } as never);
    expect(Object.getPrototypeOf(result.body)).toBe(Object.prototype);
    expect(Object.hasOwn(result.body as object, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(result.body))).toEqual({ code: 'NOT_FOUND', ['__proto__']: 'kept' });
  });
});

describe('error responses (issue 12, items 8 and 13)', () => {
  it('every error response says X-Content-Type-Options: nosniff', async () => {
    const errata = createServerErrors<any>(serverContract(), { onUnexpected: () => {} });
    const url = await listen(errata.node((req) => (req.url === '/boom' ? Promise.reject(new Error('x')) : errata.errors.getThing!({ code: 'NOT_FOUND' } as never))));
    for (const path of ['/thing', '/boom']) {
      const res = await fetch(url + path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('an onUnexpected hook that throws does not take the server down; a thrown undefined is reported', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const seen: unknown[] = [];
    const logged: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const errata = createServerErrors<any>(serverContract(), {
        onUnexpected: (error) => {
          seen.push(error);
          if (error instanceof Error) throw new Error('the log sink is down');
        },
      });
      const url = await listen(
        errata.node((req) => {
          if (req.url === '/undefined') throw undefined;
          if (req.url === '/error') throw new Error('handler failed');
          return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'alive' };
        }),
      );
      const failed = await fetch(`${url}/error`);
      expect(failed.status).toBe(500);
      expect(await failed.json()).toMatchObject({ code: 'INTERNAL' });
      const thrownUndefined = await fetch(`${url}/undefined`);
      expect(thrownUndefined.status).toBe(500);
      expect(await (await fetch(`${url}/ok`)).text()).toBe('alive');
      // The fetch wrapper too.
      const web = errata.fetch(() => {
        throw new Error('web handler failed');
      });
      expect((await web(new Request('http://x.test/'))).status).toBe(500);
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
      expect(seen).toHaveLength(3);
      expect(seen[1]).toBeUndefined();
      // The hook's failure and the original error both reach the console.
      expect(logged.flat().map(String).join('\n')).toMatch(/handler failed[\s\S]*the log sink is down/);
    } finally {
      console.error = consoleError;
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('Retry-After waits are bounded (issue 12, item 14)', () => {
  it('a Retry-After beyond setTimeout’s range is not a retry storm: the response comes back at once', async () => {
    let requests = 0;
    const url = await listen((_req, res) => {
      requests++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2147484' }).end('{"code":"SLOW_DOWN","message":"later"}');
    });
    const fetchWithRetry = withRetry((r) => fetch(r), clientContract, { maxAttempts: 20, maxElapsedMs: Infinity });
    const started = performance.now();
    const res = await fetchWithRetry(new Request(`${url}/things`));
    expect(res.status).toBe(429);
    expect(requests).toBe(1);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('waits up to maxRetryAfterMs are honoured exactly, longer ones get no retry', async () => {
    const retryAfter = ['5', '700', '700'];
    const url = await listen((_req, res) => {
      const value = retryAfter.shift();
      if (value === undefined) return void res.writeHead(200).end('{}');
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': value }).end('{"code":"SLOW_DOWN","message":"later"}');
    });
    const slept: number[] = [];
    const clock = { sleep: async (ms: number) => void slept.push(ms) };
    const first = withRetry((r) => fetch(r), clientContract, { maxAttempts: 5, maxElapsedMs: Infinity, maxRetryAfterMs: 600_000, clock });
    expect((await first(new Request(`${url}/things`))).status).toBe(429);
    // 5 s is waited; 700 s is more than the 10 minutes allowed: returned, not waited.
    expect(slept).toEqual([5000]);
    const widened = withRetry((r) => fetch(r), clientContract, { maxAttempts: 5, maxElapsedMs: Infinity, maxRetryAfterMs: 800_000, clock });
    expect((await widened(new Request(`${url}/things`))).status).toBe(200);
    expect(slept).toEqual([5000, 700_000]);
  });
});

describe('error bodies are read up to a cap (issue 12, item 15)', () => {
  /** A 500 whose body never ends; resolves the bytes written once the client hangs up. */
  async function endlessErrorBody(): Promise<{ url: string; closed: Promise<number> }> {
    let resolveClosed: (n: number) => void;
    const closed = new Promise<number>((r) => (resolveClosed = r));
    const url = await listen((_req, res) => {
      let written = 0;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      res.writeHead(500, { 'content-type': 'application/json' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
      };
      res.on('drain', pump);
      res.on('close', () => resolveClosed(written));
      pump();
    });
    return { url, closed };
  }

  it('an endless error body: an ApiError errata:body_too_large with the first MiB, the rest unread', async () => {
    const { url, closed } = await endlessErrorBody();
    const client = createErrataClient<any, any>(clientContract, { baseUrl: url, retry: false });
    const { error } = await client.GET('/things', {});
    expect(error).toMatchObject({ kind: 'transport', code: 'errata:body_too_large', status: 500 });
    expect(error!.rawBody).toHaveLength(1024 * 1024);
    expect(error!.rawBody).toMatch(/^x+$/);
    // The client hung up: the server stopped long before writing gigabytes.
    expect(await closed).toBeLessThan(64 * 1024 * 1024);
  });

  it('the cap is configurable, also for the body retries look at', async () => {
    const { url } = await endlessErrorBody();
    const client = createErrataClient<any, any>(clientContract, { baseUrl: url, maxErrorBodyBytes: 1000, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const { error } = await client.GET('/things', {});
    expect(error).toMatchObject({ code: 'errata:body_too_large' });
    expect(error!.rawBody).toHaveLength(1000);
  });

  it('a body under the cap is read whole, as before', async () => {
    const url = await listen((_req, res) => res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req_9' }).end('{"code":"NOT_FOUND","message":"gone"}'));
    const client = createErrataClient<any, any>(clientContract, { baseUrl: url });
    const { error, response } = await client.GET('/things', {});
    expect(error).toMatchObject({ kind: 'contract', code: 'NOT_FOUND', message: 'gone', requestId: 'req_9' });
    expect(response.url).toBe(`${url}/things`);
  });
});
