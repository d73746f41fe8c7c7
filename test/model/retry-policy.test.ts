import { describe, expect, it } from 'vitest';
import { withRetry, type ClientContract } from '../../runtime/client';

/** Issue 13, item 5: the catalog's retry policy is the contract's word on the client, whatever the status. */
const contract: ClientContract = {
  envelope: { mediaType: 'application/json', code: ['code'], message: ['message'], meta: undefined, requestIdHeader: undefined, requestIdBody: undefined },
  catalog: { NO_RETRY: { status: [429], retry: 'none' }, BACK_OFF: { status: [429], retry: 'backoff' }, COME_BACK: { status: [429], retry: 'after' } },
  operations: {},
};

function run(code: string, headers: Record<string, string>) {
  const sleeps: number[] = [];
  let calls = 0;
  const fetch = withRetry(
    async () => {
      calls++;
      return calls === 1 ? new Response(JSON.stringify({ code, message: 'm' }), { status: 429, headers: { 'content-type': 'application/json', ...headers } }) : new Response('{}', { status: 200 });
    },
    contract,
    { clock: { now: () => 0, random: () => 0, sleep: async (ms) => void sleeps.push(ms) }, baseDelayMs: 100 },
  );
  return fetch(new Request('http://api.test/x')).then((r) => ({ status: r.status, calls, sleeps }));
}

describe('retry policy as data', () => {
  it('never retries a `retry: none` code, even on a 429 with Retry-After', async () => {
    expect(await run('NO_RETRY', { 'retry-after': '1' })).toEqual({ status: 429, calls: 1, sleeps: [] });
  });

  it('backs off for a `retry: backoff` 429 without Retry-After, and honours Retry-After for `retry: after`', async () => {
    expect(await run('BACK_OFF', {})).toEqual({ status: 200, calls: 2, sleeps: [50] });
    expect(await run('COME_BACK', { 'retry-after': '2' })).toEqual({ status: 200, calls: 2, sleeps: [2000] });
  });

  it('still honours Retry-After on a 429 that carries no catalog code (a gateway’s)', async () => {
    expect(await run('SOMEONE_ELSES', { 'retry-after': '3' })).toEqual({ status: 200, calls: 2, sleeps: [3000] });
  });
});
