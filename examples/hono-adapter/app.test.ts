import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundledContract } from '../../test/helpers/bundled';
import { ROOT } from '../../test/helpers/cli';
import { createApp } from './app';

const bundled = new BundledContract(JSON.parse(readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8')));
const schema = (p: string, method: string, status: number) => `/paths/${p.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}`;

function errorSchema(p: string, method: string, status: number): string {
  const hit = bundled.errorResponses().find((r) => r.path === p && r.method === method && r.status === String(status))!;
  return `${hit.pointer}/content/application~1json/schema`;
}

describe('Hono adapter over HTTP (@hono/node-server)', () => {
  let server: ServerType;
  let url: string;
  const reported: string[] = [];

  beforeAll(async () => {
    const app = createApp({ onUnexpected: (_e, { requestId }) => reported.push(requestId) });
    // A route outside the contract answering with a Response whose headers are immutable.
    app.get('/moved', () => Response.redirect('https://cdn.picora.me/img_1.png', 302));
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends builder errors with status, request id and a contract-valid body', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/v1/images/img_1', {}, 401, 'UNAUTHORIZED'],
      ['/v1/images/img_2', { authorization: 'Bearer sk_live_alice' }, 404, 'NOT_FOUND'],
      ['/v1/images/img_1', { authorization: 'Bearer sk_live_bob' }, 403, 'FORBIDDEN'],
    ];
    for (const [p, headers, status, code] of cases) {
      const res = await fetch(url + p, { headers: { ...headers, 'x-request-id': `hono-${status}` } });
      expect(res.status).toBe(status);
      expect(res.headers.get('x-request-id')).toBe(`hono-${status}`);
      const body = await res.json();
      expect(body.code).toBe(code);
      const v = bundled.validate(errorSchema('/v1/images/{id}', 'get', status), body);
      expect(v.valid, v.errors).toBe(true);
    }
    const suspended = await fetch(`${url}/videos/vid_1/playlist.m3u8`);
    expect(suspended.status).toBe(451);
    expect(bundled.validate(errorSchema('/videos/{id}/playlist.m3u8', 'get', 451), await suspended.json()).valid).toBe(true);
  });

  it("adds the request id to responses built with Hono's own helpers", async () => {
    const res = await fetch(`${url}/v1/images/img_1`, { headers: { authorization: 'Bearer sk_live_alice' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{16}$/);
    const body = await res.json();
    expect(bundled.validate(`${schema('/v1/images/{id}', 'get', 200)}/content/application~1json/schema`, body).valid).toBe(true);
  });

  it('adds the request id to a Response.redirect() (immutable headers) instead of failing it', async () => {
    const before = reported.length;
    const res = await fetch(`${url}/moved`, { redirect: 'manual', headers: { 'x-request-id': 'hono-redirect' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://cdn.picora.me/img_1.png');
    expect(res.headers.get('x-request-id')).toBe('hono-redirect');
    expect(reported.length).toBe(before);
  });

  it('turns a thrown exception into 500 INTERNAL without its message', async () => {
    const res = await fetch(`${url}/videos/vid_boom/playlist.m3u8`);
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).not.toMatch(/abc123|crashed/);
    const body = JSON.parse(text);
    expect(body.code).toBe('INTERNAL');
    expect(bundled.validate(errorSchema('/videos/{id}/playlist.m3u8', 'get', 500), body).valid).toBe(true);
    expect(reported).toContain(res.headers.get('x-request-id'));
  });
});
