import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { codecOf, emitServer, inputFor, lint, loadFixture, referenceHtml, typecheckUsage, type Fixture } from './end-to-end';
import { readAt } from '../../runtime/codec';

/**
 * Issue 13, "done when": the flat envelope with a live `timestamp` (`{ success, error: { code,
 * message, details }, meta: { request_id, timestamp } }`) through generate, lint, the server over
 * loopback, the client and the docs. The request id and the timestamp are per response by
 * definition; every other byte is the documented example's.
 */
const SPEC = path.join(ROOT, 'test/fixtures/flat-live/openapi.yaml');
const AT = '2031-02-03T04:05:06Z';

let f: Fixture;
let emit: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  f = await loadFixture(SPEC);
  emit = await emitServer(f.server, { live: { '/meta/timestamp': () => AT } });
});
afterAll(() => emit.close());

describe('flat envelope with a live timestamp, end to end', () => {
  it('sends every documented body byte for byte over HTTP, the hook’s timestamp and the request’s id in place', async () => {
    expect(f.documented.map((d) => d.code).sort()).toEqual(['BOOKING_NOT_FOUND', 'INTERNAL_ERROR', 'INVALID_FIELD']);
    for (const d of f.documented) {
      const res = await fetch(emit.url, { headers: { 'x-emit': JSON.stringify({ operation: d.operation, input: inputFor(f.catalog, d) }), 'x-request-id': `req_${d.code}` } });
      const text = await res.text();
      const sent = JSON.parse(text);
      expect(sent.meta.timestamp).toBe(AT);
      expect(typeof sent.meta.request_id).toBe('string');
      const expected = structuredClone(d.value) as { meta: { timestamp: string; request_id: string } };
      expected.meta.timestamp = AT;
      expected.meta.request_id = sent.meta.request_id;
      expect(`${d.operation} ${d.code} ${res.status} ${text}`).toBe(`${d.operation} ${d.code} ${d.status} ${JSON.stringify(expected)}`);
      const v = f.bundled.validate(d.schema, sent);
      expect(v.valid, v.errors).toBe(true);
    }
  });

  it('the client reads code, message, details and the request id out of the body', async () => {
    const client = f.client.createClient({ baseUrl: emit.url, retry: false });
    for (const d of f.documented) {
      const codec = codecOf(f.catalog, d.code);
      const { error } = await client.GET('/bookings/{id}', { params: { path: { id: 'bk_1' } }, headers: { 'x-emit': JSON.stringify({ operation: d.operation, input: inputFor(f.catalog, d) }) } });
      expect(error, d.code).toMatchObject({ kind: 'contract', code: d.code, status: d.status, message: readAt(d.value, codec.message) });
      expect(error.requestId).toMatch(/\S/);
    }
  });

  it('the generated client narrows by code', () => {
    const r = typecheckUsage(
      f.out,
      `import { createClient } from './client';
const client = createClient();
export async function use() {
  const { error } = await client.GET('/bookings/{id}', { params: { path: { id: 'bk_1' } } });
  if (error?.code === 'BOOKING_NOT_FOUND') { const status: 404 = error.status; void status; }
  // @ts-expect-error getBooking cannot return a code outside its contract
  if (error?.code === 'NOT_A_CODE') return;
}
`,
    );
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('lints clean (Redocly recommended and errata/all)', async () => {
    const r = (await lint([SPEC])).get(SPEC)!;
    expect(r.problems).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('the reference builds and shows each documented body', async () => {
    const html = await referenceHtml(SPEC);
    for (const d of f.documented) expect(html).toContain(JSON.stringify((d.value as { error: unknown }).error).slice(1, -1));
  });
});
