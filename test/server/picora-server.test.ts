import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, operations } from '../../generated/catalog';
import { demo, startPicoraServer, type PicoraServer } from '../../examples/picora-server/server';
import { BundledContract } from '../helpers/bundled';
import { ROOT } from '../helpers/cli';

/**
 * The example Picora server over real HTTP on loopback. Every error is checked for status,
 * x-request-id, Retry-After where the contract needs it, a body valid against the bundled
 * contract's schema for that operation and status, and a code the operation declares for it.
 */
const bundled = new BundledContract(JSON.parse(readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8')));
type Op = keyof typeof operations;

function esc(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

function errorSchema(op: Op, status: number): string {
  const { path: p, method } = operations[op];
  const hit = bundled.errorResponses().find((r) => r.path === p && r.method === method && r.status === String(status));
  expect(hit, `${op} declares ${status}`).toBeDefined();
  return `${hit!.pointer}/content/${esc(hit!.mediaType)}/schema`;
}

async function expectError(res: Response, op: Op, status: number, code: string, requestId?: string): Promise<any> {
  const text = await res.text();
  expect(res.status, `${op} ${code}: ${text}`).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json');
  const rid = res.headers.get('x-request-id');
  if (requestId) expect(rid).toBe(requestId);
  else expect(rid).toMatch(/^req_[0-9a-f]{16}$/);
  const body = JSON.parse(text);
  const v = bundled.validate(errorSchema(op, status), body);
  expect(v.valid, `${op} ${status} ${code}: ${v.errors}\n${text}`).toBe(true);
  expect(body.code).toBe(code);
  const declared = (operations[op].errors as Record<string, readonly string[]>)[String(status)];
  expect(declared).toContain(code);
  if (catalog[code as keyof typeof catalog].retry === 'after' || status === 429) {
    expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
  }
  return body;
}

async function expectSuccess(res: Response, op: Op, status: number): Promise<any> {
  const text = await res.text();
  expect(res.status, `${op}: ${text}`).toBe(status);
  expect(res.headers.get('x-request-id')).toMatch(/^[\w.:-]+$/);
  const { path: p, method } = operations[op];
  const body = JSON.parse(text);
  const v = bundled.validate(`/paths/${esc(p)}/${method}/responses/${status}/content/application~1json/schema`, body);
  expect(v.valid, `${op} ${status}: ${v.errors}\n${text}`).toBe(true);
  return body;
}

const key = (k: string) => ({ authorization: `Bearer ${k}` });
const alice = key(demo.keys.alice);
const admin = key(demo.keys.admin);
const json = (headers: Record<string, string>, body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { ...headers, 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

function png(bytes: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(Math.max(bytes, 24));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 32, 0, 0, 0, 16]);
  return b;
}

function upload(file: Uint8Array<ArrayBuffer> | string, headers: Record<string, string> = alice, name = 'photo.png'): RequestInit {
  const form = new FormData();
  form.set('file', new Blob([file]), name);
  return { method: 'POST', headers, body: form };
}

/** Every route of the example with a request that reaches its handler. */
const ROUTES: { op: Op; method: string; path: string; authenticated: boolean }[] = [
  { op: 'uploadImage', method: 'POST', path: '/v1/images', authenticated: true },
  { op: 'listImages', method: 'GET', path: '/v1/images', authenticated: true },
  { op: 'getImage', method: 'GET', path: '/v1/images/img_x', authenticated: true },
  { op: 'deleteImage', method: 'DELETE', path: '/v1/images/img_x', authenticated: true },
  { op: 'createDoc', method: 'POST', path: '/v1/docs', authenticated: true },
  { op: 'getDoc', method: 'GET', path: '/v1/docs/doc_x', authenticated: true },
  { op: 'createApiKey', method: 'POST', path: '/v1/api-keys', authenticated: true },
  { op: 'revokeApiKey', method: 'DELETE', path: '/v1/api-keys/key_x', authenticated: true },
  { op: 'listCdnAllowlist', method: 'GET', path: '/v1/admin/cdn-allowlist', authenticated: true },
  { op: 'addCdnAllowlistEntry', method: 'POST', path: '/v1/admin/cdn-allowlist', authenticated: true },
  { op: 'removeCdnAllowlistEntry', method: 'DELETE', path: '/v1/admin/cdn-allowlist/cdn_x', authenticated: true },
  { op: 'getVideoPlaylist', method: 'GET', path: '/videos/vid_x/playlist.m3u8', authenticated: false },
];

describe('example Picora server over HTTP', () => {
  let s: PicoraServer;
  const get = (p: string, init: RequestInit = {}) => fetch(`${s.url}${p}`, { signal: AbortSignal.timeout(15_000), ...init });

  beforeAll(async () => {
    s = await startPicoraServer({ port: 0 });
  });
  afterAll(() => s?.close());

  it('answers every authenticated route without, with an unknown, a revoked and an expired credential', async () => {
    for (const r of ROUTES.filter((r) => r.authenticated)) {
      await expectError(await get(r.path, { method: r.method }), r.op, 401, 'UNAUTHORIZED');
      await expectError(await get(r.path, { method: r.method, headers: key('sk_live_unknown') }), r.op, 401, 'UNAUTHORIZED');
      await expectError(await get(r.path, { method: r.method, headers: key(demo.keys.revoked) }), r.op, 401, 'API_KEY_REVOKED');
      await expectError(await get(r.path, { method: r.method, headers: key(demo.sessions.expired) }), r.op, 401, 'TOKEN_EXPIRED');
    }
  });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    await expectError(await get('/v1/images', { headers: { 'x-request-id': 'client-abc_1' } }), 'listImages', 401, 'UNAUTHORIZED', 'client-abc_1');
    await expectError(await get('/v1/images', { headers: { 'x-request-id': 'a b c' } }), 'listImages', 401, 'UNAUTHORIZED');
    const ok = await get('/v1/images', { headers: { ...alice, 'x-request-id': 'client-ok' } });
    expect(ok.headers.get('x-request-id')).toBe('client-ok');
    await expectSuccess(ok, 'listImages', 200);
  });

  describe('image upload', () => {
    it('rejects a wrong content type and an unparseable multipart body with MALFORMED_REQUEST', async () => {
      await expectError(await get('/v1/images', json(alice, { file: 'x' })), 'uploadImage', 400, 'MALFORMED_REQUEST');
      const broken = await get('/v1/images', { method: 'POST', headers: { ...alice, 'content-type': 'multipart/form-data; boundary=zzz' }, body: 'not multipart at all' });
      await expectError(broken, 'uploadImage', 400, 'MALFORMED_REQUEST');
    });

    it('413 FILE_TOO_LARGE past the endpoint limit, 422 past the plan limit, without hanging', async () => {
      const body = await expectError(await get('/v1/images', upload(png(300 * 1024))), 'uploadImage', 413, 'FILE_TOO_LARGE');
      expect(body.meta).toEqual({ maxBytes: 128 * 1024 });
      const plan = await expectError(await get('/v1/images', upload(png(100 * 1024))), 'uploadImage', 422, 'FILE_TOO_LARGE');
      expect(plan.meta).toEqual({ maxBytes: 64 * 1024, actualBytes: 100 * 1024 });
    });

    it('a missing file is VALIDATION_ERROR, a non-image INVALID_FILE_TYPE (by content, not by name)', async () => {
      const form = new FormData();
      form.set('alt', 'no file');
      const v = await expectError(await get('/v1/images', { method: 'POST', headers: alice, body: form }), 'uploadImage', 422, 'VALIDATION_ERROR');
      expect(v.meta.path).toBe('file');
      const t = await expectError(await get('/v1/images', upload('%PDF-1.7 not an image', alice, 'fake.png')), 'uploadImage', 422, 'INVALID_FILE_TYPE');
      expect(t.meta.accepted).toContain('image/png');
    });

    it('stores images until the storage quota, then QUOTA_EXCEEDED with type/used/limit', async () => {
      const first = await expectSuccess(await get('/v1/images', upload(png(60 * 1024))), 'uploadImage', 201);
      expect(first.data).toMatchObject({ mimeType: 'image/png', sizeBytes: 60 * 1024, width: 32, height: 16 });
      await expectSuccess(await get('/v1/images', upload(png(60 * 1024))), 'uploadImage', 201);
      const q = await expectError(await get('/v1/images', upload(png(60 * 1024))), 'uploadImage', 403, 'QUOTA_EXCEEDED');
      expect(q.meta).toEqual({ type: 'img_storage', used: 120 * 1024, limit: 160 * 1024 });
      // Deleting frees the quota again.
      await expectSuccess(await get(`/v1/images/${first.data.id}`, { method: 'DELETE', headers: alice }), 'deleteImage', 200);
      await expectSuccess(await get('/v1/images', upload(png(60 * 1024))), 'uploadImage', 201);
    });

    it("another user's image is FORBIDDEN, an unknown one NOT_FOUND", async () => {
      await expectError(await get(`/v1/images/${demo.bobImageId}`, { headers: alice }), 'getImage', 403, 'FORBIDDEN');
      expect((await expectError(await get('/v1/images/img_nope', { headers: alice }), 'getImage', 404, 'NOT_FOUND')).meta).toEqual({ entity: 'Image' });
      await expectError(await get(`/v1/images/${demo.bobImageId}`, { method: 'DELETE', headers: alice }), 'deleteImage', 403, 'FORBIDDEN');
      await expectError(await get('/v1/images/img_nope', { method: 'DELETE', headers: alice }), 'deleteImage', 404, 'NOT_FOUND');
      await expectError(await get('/v1/images?limit=500', { headers: alice }), 'listImages', 422, 'VALIDATION_ERROR');
    });
  });

  describe('documents', () => {
    it('malformed JSON, a wrong content type and an oversized body are MALFORMED_REQUEST', async () => {
      await expectError(await get('/v1/docs', json(alice, '{"markdown": ')), 'createDoc', 400, 'MALFORMED_REQUEST');
      await expectError(await get('/v1/docs', { method: 'POST', headers: { ...alice, 'content-type': 'text/markdown' }, body: '# hi' }), 'createDoc', 400, 'MALFORMED_REQUEST');
      await expectError(await get('/v1/docs', { method: 'POST', headers: alice, body: '{"markdown":"# hi"}' }), 'createDoc', 400, 'MALFORMED_REQUEST');
      await expectError(await get('/v1/docs', json(alice, { markdown: 'x'.repeat(40 * 1024) })), 'createDoc', 400, 'MALFORMED_REQUEST');
    });

    it('validates fields and plan limits', async () => {
      expect((await expectError(await get('/v1/docs', json(alice, { title: 'no body' })), 'createDoc', 422, 'VALIDATION_ERROR')).meta.path).toBe('markdown');
      await expectError(await get('/v1/docs', json(alice, [1, 2])), 'createDoc', 422, 'VALIDATION_ERROR');
      const big = await expectError(await get('/v1/docs', json(alice, { markdown: 'y'.repeat(9000) })), 'createDoc', 422, 'DOC_FILE_TOO_LARGE');
      expect(big.meta).toEqual({ maxBytes: 8192, actualBytes: 9000 });
      const imgs = '![a](https://media.example.com/a.png)\n'.repeat(4);
      expect((await expectError(await get('/v1/docs', json(alice, { markdown: imgs })), 'createDoc', 422, 'DOC_IMAGE_LIMIT_EXCEEDED')).meta).toEqual({ max: 3, actual: 4 });
    });

    it('a duplicate is DOC_HASH_DUPLICATE with meta.existingId and uses no quota; the quota is doc_count', async () => {
      const created = await expectSuccess(await get('/v1/docs', json(alice, { markdown: '# One' })), 'createDoc', 201);
      const dup = await expectError(await get('/v1/docs', json(alice, { markdown: '# One' })), 'createDoc', 409, 'DOC_HASH_DUPLICATE');
      expect(dup.meta).toEqual({ existingId: created.data.id });
      await expectSuccess(await get('/v1/docs', json(alice, { markdown: '# Two' })), 'createDoc', 201);
      await expectSuccess(await get('/v1/docs', json(alice, { markdown: '# Three' })), 'createDoc', 201);
      const q = await expectError(await get('/v1/docs', json(alice, { markdown: '# Four' })), 'createDoc', 403, 'QUOTA_EXCEEDED');
      expect(q.meta).toEqual({ type: 'doc_count', used: 3, limit: 3 });
      // Still a duplicate, not a quota error, at the limit.
      await expectError(await get('/v1/docs', json(alice, { markdown: '# Two' })), 'createDoc', 409, 'DOC_HASH_DUPLICATE');
      await expectSuccess(await get(`/v1/docs/${created.data.id}`, { headers: alice }), 'getDoc', 200);
      await expectError(await get(`/v1/docs/${demo.bobDocId}`, { headers: alice }), 'getDoc', 403, 'FORBIDDEN');
      expect((await expectError(await get('/v1/docs/doc_nope', { headers: alice }), 'getDoc', 404, 'NOT_FOUND')).meta).toEqual({ entity: 'Document' });
    });
  });

  describe('API keys', () => {
    it('creates a key with a session, revokes it, and the revoked key gets API_KEY_REVOKED', async () => {
      const session = key(demo.sessions.alice);
      await expectError(await get('/v1/api-keys', json(alice, { name: 'ci' })), 'createApiKey', 401, 'UNAUTHORIZED');
      await expectError(await get('/v1/api-keys', json(session, '{name:')), 'createApiKey', 400, 'MALFORMED_REQUEST');
      await expectError(await get('/v1/api-keys', json(session, { name: 'n'.repeat(65) })), 'createApiKey', 422, 'VALIDATION_ERROR');
      const created = await expectSuccess(await get('/v1/api-keys', json(session, { name: 'ci' })), 'createApiKey', 201);
      const fresh = key(created.data.key);
      await expectSuccess(await get('/v1/images', { headers: fresh }), 'listImages', 200);
      const revoked = await expectSuccess(await get(`/v1/api-keys/${created.data.id}`, { method: 'DELETE', headers: session }), 'revokeApiKey', 200);
      expect(revoked.data.revokedAt).toEqual(expect.any(String));
      await expectError(await get('/v1/images', { headers: fresh }), 'listImages', 401, 'API_KEY_REVOKED');
      await expectError(await get(`/v1/api-keys/${demo.adminKeyId}`, { method: 'DELETE', headers: session }), 'revokeApiKey', 403, 'FORBIDDEN');
      await expectError(await get('/v1/api-keys/key_nope', { method: 'DELETE', headers: session }), 'revokeApiKey', 404, 'NOT_FOUND');
    });
  });

  describe('admin CDN allowlist', () => {
    it('is admin-only', async () => {
      await expectError(await get('/v1/admin/cdn-allowlist', { headers: alice }), 'listCdnAllowlist', 403, 'FORBIDDEN');
      await expectError(await get('/v1/admin/cdn-allowlist', json(alice, { pattern: 'a.example.net' })), 'addCdnAllowlistEntry', 403, 'FORBIDDEN');
      await expectError(await get(`/v1/admin/cdn-allowlist/${demo.cdnEntryId}`, { method: 'DELETE', headers: alice }), 'removeCdnAllowlistEntry', 403, 'FORBIDDEN');
    });

    it('rejects a pattern with a protocol or path, a duplicate, and bad input', async () => {
      for (const pattern of ['https://media.example.com', 'media.example.com/path', 'bad host.com', 'localhost']) {
        const b = await expectError(await get('/v1/admin/cdn-allowlist', json(admin, { pattern })), 'addCdnAllowlistEntry', 422, 'DOC_INVALID_PATTERN');
        expect(b.meta).toEqual({ pattern });
      }
      await expectError(await get('/v1/admin/cdn-allowlist', json(admin, { pattern: '.EXAMPLE.com' })), 'addCdnAllowlistEntry', 409, 'CONFLICT');
      await expectError(await get('/v1/admin/cdn-allowlist', json(admin, {})), 'addCdnAllowlistEntry', 422, 'VALIDATION_ERROR');
      await expectError(await get('/v1/admin/cdn-allowlist', json(admin, 'nope')), 'addCdnAllowlistEntry', 400, 'MALFORMED_REQUEST');
      const added = await expectSuccess(await get('/v1/admin/cdn-allowlist', json(admin, { pattern: 'media.example.org', note: 'x' })), 'addCdnAllowlistEntry', 201);
      expect(added.data.match).toBe('exact');
      await expectSuccess(await get('/v1/admin/cdn-allowlist', { headers: admin }), 'listCdnAllowlist', 200);
      await expectSuccess(await get(`/v1/admin/cdn-allowlist/${added.data.id}`, { method: 'DELETE', headers: admin }), 'removeCdnAllowlistEntry', 200);
      const nf = await expectError(await get(`/v1/admin/cdn-allowlist/${added.data.id}`, { method: 'DELETE', headers: admin }), 'removeCdnAllowlistEntry', 404, 'NOT_FOUND');
      expect(nf.meta).toEqual({ entity: 'CdnWhitelistEntry' });
    });
  });

  describe('playback', () => {
    it('451 BANDWIDTH_SUSPENDED for a suspended owner, 403 for a bad signed token, 404 for an unknown video', async () => {
      const b = await expectError(await get(`/videos/${demo.videos.suspended}/playlist.m3u8`), 'getVideoPlaylist', 451, 'BANDWIDTH_SUSPENDED');
      expect(b.meta).toEqual({ state: 'suspended', resetsAt: '2026-02-01T00:00:00Z' });
      await expectError(await get(`/videos/${demo.videos.signed}/playlist.m3u8`), 'getVideoPlaylist', 403, 'FORBIDDEN');
      await expectError(await get(`/videos/${demo.videos.signed}/playlist.m3u8?token=${demo.playbackToken}&expires=1`), 'getVideoPlaylist', 403, 'FORBIDDEN');
      await expectError(await get('/videos/vid_nope/playlist.m3u8'), 'getVideoPlaylist', 404, 'NOT_FOUND');
      const ok = await get(`/videos/${demo.videos.signed}/playlist.m3u8?token=${demo.playbackToken}&expires=${Math.floor(Date.now() / 1000) + 600}`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
      expect(await ok.text()).toMatch(/^#EXTM3U\n/);
    });
  });

  describe('the edge never hangs and never answers 500 for bad input', () => {
    /** A raw request, so the body can be chunked, cut short or lie about its length. */
    function raw(p: string, headers: Record<string, string>, write: (req: ReturnType<typeof httpRequest>) => void): Promise<{ status?: number; body: string; error?: string }> {
      return new Promise((resolve) => {
        const url = new URL(p, s.url);
        const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, timeout: 10_000 }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', (e) => resolve({ body: '', error: e.message }));
        write(req);
      });
    }

    it('a chunked upload past the limit gets 413 while the client is still sending', async () => {
      const r = await raw('/v1/images', { ...alice, 'content-type': 'multipart/form-data; boundary=b', 'transfer-encoding': 'chunked' }, (req) => {
        for (let i = 0; i < 20; i++) req.write(Buffer.alloc(16 * 1024, 0x61));
        req.end();
      });
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).code).toBe('FILE_TOO_LARGE');
    });

    it('a declared Content-Length over the limit is refused before reading the body', async () => {
      const r = await raw('/v1/docs', { ...alice, 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) }, (req) => {
        req.write('{"markdown":"');
        setTimeout(() => req.destroy(), 2000);
      });
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).code).toBe('MALFORMED_REQUEST');
    });

    it('a client that disconnects mid-body does not take the server down', async () => {
      await raw('/v1/docs', { ...alice, 'content-type': 'application/json', 'content-length': '1000' }, (req) => {
        req.write('{"markdown":');
        setTimeout(() => req.destroy(), 50);
      });
      await expectSuccess(await get('/v1/images', { headers: alice }), 'listImages', 200);
    });

    it('an unknown route answers the envelope with NOT_FOUND and a request id, not an empty 404', async () => {
      for (const [method, p] of [['GET', '/v2/nothing'], ['POST', '/v1/images/img_x'], ['GET', '/']] as const) {
        const r = await get(p, { method });
        expect(r.status).toBe(404);
        expect(r.headers.get('x-request-id')).toMatch(/^req_/);
        expect(r.headers.get('content-type')).toBe('application/json');
        const body = await r.json();
        expect(bundled.validate('/components/schemas/Error', body)).toMatchObject({ valid: true });
        expect(body).toMatchObject({ success: false, code: 'NOT_FOUND' });
      }
    });
  });

  describe('rate limiting', () => {
    let limited: PicoraServer;
    beforeAll(async () => {
      limited = await startPicoraServer({ port: 0, rateLimit: { limit: 1, windowMs: 60_000 } });
    });
    afterAll(() => limited?.close());

    it('every route answers 429 RATE_LIMITED with Retry-After and meta once the window is used', async () => {
      await fetch(`${limited.url}/v1/images`, { headers: alice });
      await fetch(`${limited.url}/videos/${demo.videos.playable}/playlist.m3u8`);
      for (const r of ROUTES) {
        const res = await fetch(`${limited.url}${r.path}`, { method: r.method, headers: alice });
        const retry = Number(res.headers.get('retry-after'));
        const b = await expectError(res, r.op, 429, 'RATE_LIMITED');
        expect(retry).toBeGreaterThanOrEqual(1);
        expect(retry).toBeLessThanOrEqual(60);
        expect(b.meta).toMatchObject({ limit: 1, remaining: 0 });
      }
    });
  });

  describe('unexpected exceptions', () => {
    let faulty: PicoraServer;
    const reported: { error: unknown; requestId: string }[] = [];
    beforeAll(async () => {
      faulty = await startPicoraServer({
        port: 0,
        beforeHandler: (op) => {
          throw new Error(`db password=hunter2 failed in ${op} at /srv/picora/secret.ts:12`);
        },
        onUnexpected: (error, { requestId }) => reported.push({ error, requestId }),
      });
    });
    afterAll(() => faulty?.close());

    it('every route answers 500 INTERNAL with a request id and nothing from the exception', async () => {
      for (const r of ROUTES) {
        const res = await fetch(`${faulty.url}${r.path}`, { method: r.method, headers: { ...alice, 'x-request-id': `trace-${r.op}` } });
        const clone = await res.clone().text();
        expect(clone).not.toMatch(/hunter2|secret\.ts|Error:|at \//);
        const body = await expectError(res, r.op, 500, 'INTERNAL', `trace-${r.op}`);
        expect(body.error).toBe(catalog.INTERNAL.description);
        expect(reported.at(-1)!.requestId).toBe(`trace-${r.op}`);
      }
    });
  });

  describe('defects an independent validator found', () => {
    let fresh: PicoraServer;
    const reported: unknown[] = [];
    const at = (p: string, init: RequestInit = {}) => fetch(`${fresh.url}${p}`, { signal: AbortSignal.timeout(15_000), ...init });
    beforeAll(async () => {
      fresh = await startPicoraServer({ port: 0, onUnexpected: (error) => reported.push(error) });
    });
    afterAll(() => fresh?.close());

    function typed(bytes: Uint8Array<ArrayBuffer> | string, type: string, name: string, fields: Record<string, string> = {}): RequestInit {
      const form = new FormData();
      form.set('file', new Blob([bytes], { type }), name);
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      return { method: 'POST', headers: alice, body: form };
    }

    it('DELETE /v1/api-keys/{id} is JWT only: an API key gets 401 and revokes nothing', async () => {
      await expectError(await at(`/v1/api-keys/${demo.aliceKeyId}`, { method: 'DELETE', headers: alice }), 'revokeApiKey', 401, 'UNAUTHORIZED');
      await expectSuccess(await at('/v1/images', { headers: alice }), 'listImages', 200);
      expect(fresh.state.apiKeys.get(demo.aliceKeyId)!.revokedAt).toBeNull();
    });

    it('a malformed percent-escape in a path is the declared 404, not a 500 with a logged stack', async () => {
      for (const method of ['GET', 'DELETE']) {
        await expectError(await at('/v1/images/%ZZ', { method, headers: alice }), method === 'GET' ? 'getImage' : 'deleteImage', 404, 'NOT_FOUND');
      }
      await expectError(await at('/v1/docs/%E0%A4%A', { headers: alice }), 'getDoc', 404, 'NOT_FOUND');
      await expectError(await at('/videos/%ZZ/playlist.m3u8'), 'getVideoPlaylist', 404, 'NOT_FOUND');
      expect(reported).toEqual([]);
    });

    it('accepts SVG and AVIF, the formats the contract lists, and reads their size from the content', async () => {
      const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="1" height="1"/></svg>';
      const s = await expectSuccess(await at('/v1/images', typed(svg, 'image/svg+xml', 'logo.svg')), 'uploadImage', 201);
      expect(s.data).toMatchObject({ mimeType: 'image/svg+xml', width: 120, height: 80 });
      const avif = new Uint8Array(64);
      avif.set([0, 0, 0, 28, ...Buffer.from('ftypavif'), 0, 0, 0, 0, ...Buffer.from('avifmif1miaf')]);
      avif.set([0, 0, 0, 20, ...Buffer.from('ispe'), 0, 0, 0, 0, 0, 0, 2, 128, 0, 0, 1, 224], 28);
      const a = await expectSuccess(await at('/v1/images', typed(avif, 'image/avif', 'photo.avif')), 'uploadImage', 201);
      expect(a.data).toMatchObject({ mimeType: 'image/avif', width: 640, height: 480 });
    });

    it('alt is at most 500 characters (VALIDATION_ERROR past it)', async () => {
      const v = await expectError(await at('/v1/images', typed(png(100), 'image/png', 'a.png', { alt: 'a'.repeat(501) })), 'uploadImage', 422, 'VALIDATION_ERROR');
      expect(v.meta.path).toBe('alt');
      const ok = await expectSuccess(await at('/v1/images', typed(png(100), 'image/png', 'a.png', { alt: 'a'.repeat(500) })), 'uploadImage', 201);
      expect(ok.data.alt).toHaveLength(500);
      // maxLength counts code points: 500 emoji are 500 characters (1000 UTF-16 units).
      const emoji = await expectSuccess(await at('/v1/images', typed(png(100), 'image/png', 'a.png', { alt: '😀'.repeat(500) })), 'uploadImage', 201);
      expect([...emoji.data.alt]).toHaveLength(500);
    });

    it('INVALID_FILE_TYPE reports the type detected from the bytes, not the one claimed', async () => {
      const pdf = await expectError(await at('/v1/images', typed('%PDF-1.7 a document', 'image/png', 'fake.png')), 'uploadImage', 422, 'INVALID_FILE_TYPE');
      expect(pdf.meta).toEqual({ accepted: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/svg+xml'], received: 'application/pdf' });
      const bmp = new Uint8Array(64);
      bmp.set([...Buffer.from('BM')]);
      expect((await expectError(await at('/v1/images', typed(bmp, 'image/jpeg', 'x.jpg')), 'uploadImage', 422, 'INVALID_FILE_TYPE')).meta.received).toBe('image/bmp');
    });

    it('pages with a cursor: hasMore comes with a nextCursor that returns the rest; folder filters', async () => {
      const server = await startPicoraServer({ port: 0 });
      try {
        const list = async (q: string) => expectSuccess(await fetch(`${server.url}/v1/images${q}`, { headers: alice }), 'listImages', 200);
        const ids: string[] = [];
        for (const folder of ['a', 'a', 'b']) {
          const form = new FormData();
          form.set('file', new Blob([png(100)]), 'p.png');
          form.set('folder', folder);
          ids.push((await expectSuccess(await fetch(`${server.url}/v1/images`, { method: 'POST', headers: alice, body: form }), 'uploadImage', 201)).data.id);
        }
        const first = await list('?limit=2');
        expect(first.pagination.hasMore).toBe(true);
        expect(first.pagination.nextCursor).toEqual(expect.any(String));
        const second = await list(`?limit=2&cursor=${encodeURIComponent(first.pagination.nextCursor)}`);
        expect(second.pagination).toEqual({ hasMore: false, nextCursor: null });
        expect([...first.data, ...second.data].map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
        expect((await list('?folder=a')).data.map((i: { id: string }) => i.id)).toEqual([ids[1], ids[0]]);
        const b = await list('?folder=b&limit=1');
        expect(b).toMatchObject({ data: [{ id: ids[2], folder: 'b' }], pagination: { hasMore: false, nextCursor: null } });
        const bad = await expectError(await fetch(`${server.url}/v1/images?cursor=not-a-cursor`, { headers: alice }), 'listImages', 422, 'VALIDATION_ERROR');
        expect(bad.meta.path).toBe('cursor');
      } finally {
        await server.close();
      }
    });
  });
});
