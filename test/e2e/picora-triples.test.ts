/**
 * The example Picora server end to end: over real HTTP on 127.0.0.1, every declared
 * (operation, status, code) triple of the contract that a request can trigger is triggered, and
 * every response (success and error) is validated by an independent OpenAPI 3.1 response
 * validator (`./openapi-response-validator.ts`, @hyperjump/json-schema) against the bundled
 * `generated/openapi.json`. The triples come from `generated/catalog.json`, so coverage is
 * computed: a new declared code fails this test until a request triggers it or it is listed in
 * UNTRIGGERABLE with its reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startPicoraServer, type PicoraServer } from '../../examples/picora-server/server';
import { OpenApiResponseValidator, UNROUTED } from './openapi-response-validator';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const validator = new OpenApiResponseValidator(path.join(ROOT, 'generated/openapi.json'));
const catalog: { operations: Record<string, { method: string; path: string; errors: Record<string, string[]> }>; unrouted: { status: string; codes: string[] }[]; codes: Record<string, { message?: string }> } = JSON.parse(
  readFileSync(path.join(ROOT, 'generated/catalog.json'), 'utf8'),
);

/** The wire message the catalog gives a code. */
const catalogMessage = (code: string) => catalog.codes[code]?.message;

/** Every declared triple, `operation status code`; the unrouted errors' operation is `(unrouted)`. */
const DECLARED = new Set([
  ...Object.entries(catalog.operations).flatMap(([op, o]) => Object.entries(o.errors).flatMap(([status, codes]) => codes.map((c) => `${op} ${status} ${c}`))),
  ...catalog.unrouted.flatMap((u) => u.codes.map((c) => `${UNROUTED} ${u.status} ${c}`)),
]);

/**
 * Declared triples no request can trigger, each with the reason. Empty today: storage and provider
 * outages are reached through the example's documented fault hook (`state.faults`), CN content
 * safety through `state.flag`, unexpected exceptions through `beforeHandler`.
 */
const UNTRIGGERABLE: Record<string, string> = {};

const triggered = new Set<string>();
/** Every 2xx the run saw, `operation status`. */
const succeeded = new Set<string>();
let validated = 0;

type Init = RequestInit & { headers?: Record<string, string> };

/**
 * Sends a request, validates the response against the contract, checks it is the expected status
 * (and code, for an error), and records the triple the validator attributes it to.
 */
async function call(server: PicoraServer, method: string, p: string, init: Init, expected: { status: number; code?: string }): Promise<any> {
  const url = `${server.url}${p}`;
  const res = await fetch(url, { ...init, method, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  const verdict = await validator.check(method, url, { status: res.status, headers: res.headers, text });
  validated += 1;
  const where = `${method} ${p} → ${res.status} ${text.slice(0, 300)}`;
  expect(verdict.errors, where).toEqual([]);
  expect(res.status, where).toBe(expected.status);
  const body = verdict.body as any;
  if (res.status >= 400) {
    expect(body?.code, where).toBe(expected.code);
    triggered.add(`${verdict.operationId} ${res.status} ${body.code}`);
  } else {
    expect(expected.code, where).toBeUndefined();
    succeeded.add(`${verdict.operationId} ${res.status}`);
  }
  return body;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const alice = bearer(demo.keys.alice);
const session = bearer(demo.sessions.alice);
const pat = bearer(demo.keys.pro);
const admin = bearer(demo.keys.admin);
const json = (headers: Record<string, string>, body: unknown): Init => ({
  headers: { ...headers, 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const form = (headers: Record<string, string>, fields: Record<string, string>): Init => ({
  headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
function upload(headers: Record<string, string>, file: Uint8Array<ArrayBuffer> | string | undefined, fields: Record<string, string> = {}): Init {
  const f = new FormData();
  if (file !== undefined) f.set('file', new Blob([file]), 'upload.bin');
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return { headers, body: f };
}

/** Files of a given size whose first bytes say what they are. */
function file(kind: 'png' | 'mp4' | 'mp3' | 'pdf', bytes: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(Math.max(bytes, 32));
  const head = {
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 32, 0, 0, 0, 16],
    mp4: [0, 0, 0, 24, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')],
    mp3: [...Buffer.from('ID3'), 4, 0, 0, 0, 0, 0, 0],
    pdf: [...Buffer.from('%PDF-1.7\n')],
  }[kind];
  b.set(head);
  // Distinct content per call, so that content hashes (duplicates, flags) never collide by accident.
  b.set(Buffer.from(`#${++fileCounter}#`), head.length);
  return b;
}
let fileCounter = 0;

/** A path of the operation with placeholders that fit its path parameters' patterns. */
function samplePath(operationId: string): string {
  const o = validator.operations().find((x) => x.operationId === operationId)!;
  const params = [...(o.item.parameters ?? []), ...(o.op.parameters ?? [])];
  return o.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const pattern = params.find((q: any) => q.name === name && q.in === 'path')?.schema?.pattern as string | undefined;
    return `${/^\^([a-z]+_)/.exec(pattern ?? '')?.[1] ?? ''}e2e`;
  });
}

/** The credentials an operation's security asks for (the demo ones of alice). */
function credentialsFor(operationId: string): Record<string, string> {
  const o = validator.operations().find((x) => x.operationId === operationId)!;
  const schemes = new Set((o.op.security ?? validator.doc.security ?? []).flatMap((r: object) => Object.keys(r)));
  if (schemes.has('ApiKey')) return alice;
  if (schemes.has('Jwt')) return session;
  if (schemes.has('OAuth')) return bearer(demo.oauth.readToken);
  return {};
}

/** A fresh account (a dashboard session), for scenarios that fill a quota. */
async function newUser(server: PicoraServer, tag: string): Promise<Record<string, string>> {
  const r = await call(server, 'POST', '/v1/auth/register', json({}, { email: `${tag}-${++fileCounter}@example.com`, password: 'long-enough-pass' }), { status: 201 });
  return bearer(r.data.accessToken);
}

describe('example Picora server: every triple the contract declares, validated', () => {
  let main: PicoraServer;
  let limited: PicoraServer;
  let registration: PicoraServer;
  let explode = false;
  const unexpected: string[] = [];

  beforeAll(async () => {
    [main, limited, registration] = await Promise.all([
      startPicoraServer({
        port: 0,
        platform: 'cn',
        registrationLimit: { limit: 1000, windowMs: 3_600_000 },
        beforeHandler: (op) => {
          if (explode) throw new Error(`injected fault in ${op}`);
        },
        onUnexpected: (_error, { requestId }) => unexpected.push(requestId),
      }),
      startPicoraServer({ port: 0, rateLimit: { limit: 1, windowMs: 3_600_000 } }),
      startPicoraServer({ port: 0, registrationLimit: { limit: 0, windowMs: 3_600_000 } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([main?.close(), limited?.close(), registration?.close()]);
  });

  it('answers 401 for missing, revoked and expired credentials on every authenticated operation', async () => {
    for (const o of validator.operations()) {
      const declared = catalog.operations[o.operationId]!.errors['401'] ?? [];
      const schemes = new Set((o.op.security ?? []).flatMap((r: object) => Object.keys(r)));
      if (!schemes.has('ApiKey') && !schemes.has('Jwt')) continue;
      const p = samplePath(o.operationId);
      const m = o.method.toUpperCase();
      if (declared.includes('UNAUTHORIZED')) await call(main, m, p, {}, { status: 401, code: 'UNAUTHORIZED' });
      if (declared.includes('API_KEY_REVOKED')) await call(main, m, p, { headers: bearer(demo.keys.revoked) }, { status: 401, code: 'API_KEY_REVOKED' });
      if (declared.includes('TOKEN_EXPIRED')) await call(main, m, p, { headers: bearer(demo.sessions.expired) }, { status: 401, code: 'TOKEN_EXPIRED' });
    }
  });

  it('answers 429 RATE_LIMITED with Retry-After on every operation once the window is used', async () => {
    // One request as alice and one from this address use both windows (limit 1).
    await fetch(`${limited.url}/v1/images`, { headers: alice });
    await fetch(`${limited.url}/videos/${demo.videos.playable}/playlist.m3u8`);
    for (const o of validator.operations()) {
      if (!(catalog.operations[o.operationId]!.errors['429'] ?? []).includes('RATE_LIMITED')) continue;
      await call(limited, o.method.toUpperCase(), samplePath(o.operationId), { headers: credentialsFor(o.operationId) }, { status: 429, code: 'RATE_LIMITED' });
    }
  });

  it('answers 500 INTERNAL, with nothing of the exception, when a handler fails unexpectedly', async () => {
    explode = true;
    try {
      for (const o of validator.operations()) {
        if (!(catalog.operations[o.operationId]!.errors['500'] ?? []).includes('INTERNAL')) continue;
        const body = await call(main, o.method.toUpperCase(), samplePath(o.operationId), { headers: { ...credentialsFor(o.operationId), 'x-request-id': `e2e-${o.operationId}` } }, { status: 500, code: 'INTERNAL' });
        expect(JSON.stringify(body)).not.toContain('injected');
        expect(unexpected.at(-1)).toBe(`e2e-${o.operationId}`);
      }
    } finally {
      explode = false;
    }
  });

  it('accounts: register, login, refresh', async () => {
    const email = `ada-${++fileCounter}@example.com`;
    const created = await call(main, 'POST', '/v1/auth/register', json({}, { email, password: 'correct-horse-battery', name: 'Ada' }), { status: 201 });
    await call(main, 'POST', '/v1/auth/register', json({}, { email: email.toUpperCase(), password: 'another-password' }), { status: 409, code: 'CONFLICT' });
    await call(main, 'POST', '/v1/auth/register', json({}, { email: 'not-an-email', password: 'correct-horse-battery' }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/auth/register', json({}, '{"email":'), { status: 400, code: 'MALFORMED_REQUEST' });
    await call(main, 'POST', '/v1/auth/login', json({}, { email, password: 'correct-horse-battery' }), { status: 200 });
    await call(main, 'POST', '/v1/auth/login', json({}, { email, password: 'wrong' }), { status: 401, code: 'UNAUTHORIZED' });
    await call(main, 'POST', '/v1/auth/login', json({}, { email }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/auth/login', { headers: { 'content-type': 'text/plain' }, body: 'hi' }, { status: 400, code: 'MALFORMED_REQUEST' });
    const refreshed = await call(main, 'POST', '/v1/auth/refresh', json({}, { refreshToken: created.data.refreshToken }), { status: 200 });
    expect(refreshed.data.refreshToken).not.toBe(created.data.refreshToken);
    await call(main, 'POST', '/v1/auth/refresh', json({}, { refreshToken: created.data.refreshToken }), { status: 401, code: 'UNAUTHORIZED' });
    await call(main, 'POST', '/v1/auth/refresh', json({}, { refreshToken: demo.expiredRefreshToken }), { status: 401, code: 'TOKEN_EXPIRED' });
    await call(main, 'POST', '/v1/auth/refresh', json({}, { refreshToken: '' }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/auth/refresh', json({}, 'nope'), { status: 400, code: 'MALFORMED_REQUEST' });
    // The new session works where a JWT is accepted.
    await call(main, 'GET', '/v1/images', { headers: bearer(refreshed.data.accessToken) }, { status: 200 });
  });

  it('images: upload, list, get, delete and every upload error', async () => {
    const user = await newUser(main, 'img');
    const first = await call(main, 'POST', '/v1/images', upload(user, file('png', 60 * 1024), { folder: 'blog', alt: 'A chart' }), { status: 201 });
    await call(main, 'POST', '/v1/images', upload(user, file('png', 60 * 1024)), { status: 201 });
    await call(main, 'POST', '/v1/images', upload(user, file('png', 60 * 1024)), { status: 403, code: 'QUOTA_EXCEEDED' });
    await call(main, 'POST', '/v1/images', upload(user, file('png', 300 * 1024)), { status: 413, code: 'FILE_TOO_LARGE' });
    await call(main, 'POST', '/v1/images', upload(user, file('png', 100 * 1024)), { status: 422, code: 'FILE_TOO_LARGE' });
    await call(main, 'POST', '/v1/images', upload(user, file('pdf', 100)), { status: 422, code: 'INVALID_FILE_TYPE' });
    await call(main, 'POST', '/v1/images', upload(user, undefined, { alt: 'no file' }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/images', json(user, { file: 'x' }), { status: 400, code: 'MALFORMED_REQUEST' });
    const page = await call(main, 'GET', '/v1/images?limit=1', { headers: user }, { status: 200 });
    await call(main, 'GET', `/v1/images?limit=1&cursor=${page.pagination.nextCursor}`, { headers: user }, { status: 200 });
    await call(main, 'GET', '/v1/images?limit=0', { headers: user }, { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'GET', `/v1/images/${first.data.id}`, { headers: user }, { status: 200 });
    await call(main, 'GET', `/v1/images/${demo.bobImageId}`, { headers: user }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'GET', '/v1/images/img_nope', { headers: user }, { status: 404, code: 'NOT_FOUND' });
    await call(main, 'GET', '/v1/images/%ZZ', { headers: user }, { status: 404, code: 'NOT_FOUND' });
    await call(main, 'DELETE', `/v1/images/${demo.bobImageId}`, { headers: user }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'DELETE', '/v1/images/img_nope', { headers: user }, { status: 404, code: 'NOT_FOUND' });
    main.state.faults.add('storage');
    try {
      await call(main, 'DELETE', `/v1/images/${first.data.id}`, { headers: user }, { status: 502, code: 'STORAGE_ERROR' });
      await call(main, 'POST', '/v1/images', upload(alice, file('png', 100)), { status: 502, code: 'STORAGE_ERROR' });
    } finally {
      main.state.faults.delete('storage');
    }
    await call(main, 'DELETE', `/v1/images/${first.data.id}`, { headers: user }, { status: 200 });
    // CN platform: content safety flags, or does not answer.
    const flagged = file('png', 100);
    main.state.flag(Buffer.from(flagged), ['ad']);
    expect((await call(main, 'POST', '/v1/images', upload(alice, flagged), { status: 451, code: 'COMPLIANCE_BLOCKED' })).meta).toEqual({ reasons: ['ad'] });
    main.state.faults.add('content-safety');
    try {
      await call(main, 'POST', '/v1/images', upload(alice, file('png', 100)), { status: 502, code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      main.state.faults.delete('content-safety');
    }
  });

  it('videos and playback: plan, quota, provider, bandwidth, signed playback', async () => {
    await call(main, 'POST', '/v1/videos', upload(alice, file('mp4', 100)), { status: 403, code: 'PLAN_REQUIRED' });
    const v = await call(main, 'POST', '/v1/videos', upload(pat, file('mp4', 60 * 1024), { title: 'Demo' }), { status: 202 });
    await call(main, 'POST', '/v1/videos', upload(pat, file('mp4', 300 * 1024)), { status: 413, code: 'FILE_TOO_LARGE' });
    await call(main, 'POST', '/v1/videos', upload(pat, file('mp4', 100 * 1024)), { status: 422, code: 'FILE_TOO_LARGE' });
    await call(main, 'POST', '/v1/videos', upload(pat, file('mp3', 100)), { status: 422, code: 'INVALID_FILE_TYPE' });
    await call(main, 'POST', '/v1/videos', upload(pat, file('mp4', 100), { title: 't'.repeat(201) }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/videos', { headers: { ...pat, 'content-type': 'multipart/form-data; boundary=zz' }, body: 'not multipart' }, { status: 400, code: 'MALFORMED_REQUEST' });
    const flagged = file('mp4', 100);
    main.state.flag(Buffer.from(flagged), ['violence']);
    await call(main, 'POST', '/v1/videos', upload(pat, flagged), { status: 451, code: 'COMPLIANCE_BLOCKED' });
    for (const [fault, code] of [['storage', 'STORAGE_ERROR'], ['video-provider', 'DEPENDENCY_UNAVAILABLE']] as const) {
      main.state.faults.add(fault);
      try {
        await call(main, 'POST', '/v1/videos', upload(pat, file('mp4', 100)), { status: 502, code });
      } finally {
        main.state.faults.delete(fault);
      }
    }
    await call(main, 'POST', '/v1/videos', upload(pat, file('mp4', 60 * 1024)), { status: 202 });
    await call(main, 'POST', '/v1/videos', upload(pat, file('mp4', 60 * 1024)), { status: 403, code: 'QUOTA_EXCEEDED' });
    await call(main, 'GET', `/v1/videos/${v.data.id}`, { headers: pat }, { status: 200 });
    await call(main, 'GET', `/v1/videos/${demo.videos.bob}`, { headers: alice }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'GET', '/v1/videos/vid_nope', { headers: alice }, { status: 404, code: 'NOT_FOUND' });

    await call(main, 'GET', `/videos/${demo.videos.playable}/playlist.m3u8`, {}, { status: 200 });
    await call(main, 'GET', `/videos/${demo.videos.signed}/playlist.m3u8?token=${demo.playbackToken}&expires=${Math.floor(Date.now() / 1000) + 600}`, {}, { status: 200 });
    await call(main, 'GET', `/videos/${demo.videos.signed}/playlist.m3u8`, {}, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'GET', '/videos/vid_nope/playlist.m3u8', {}, { status: 404, code: 'NOT_FOUND' });
    await call(main, 'GET', `/videos/${demo.videos.suspended}/playlist.m3u8`, {}, { status: 451, code: 'BANDWIDTH_SUSPENDED' });
    main.state.faults.add('video-provider');
    try {
      await call(main, 'GET', `/videos/${demo.videos.playable}/playlist.m3u8`, {}, { status: 502, code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      main.state.faults.delete('video-provider');
    }
  });

  it('audio: upload, get and every upload error', async () => {
    const user = await newUser(main, 'aud');
    const a = await call(main, 'POST', '/v1/audio', upload(user, file('mp3', 60 * 1024), { title: 'Episode 1' }), { status: 201 });
    await call(main, 'POST', '/v1/audio', upload(user, file('mp3', 60 * 1024)), { status: 201 });
    await call(main, 'POST', '/v1/audio', upload(user, file('mp3', 60 * 1024)), { status: 403, code: 'QUOTA_EXCEEDED' });
    await call(main, 'POST', '/v1/audio', upload(user, file('mp3', 300 * 1024)), { status: 413, code: 'FILE_TOO_LARGE' });
    await call(main, 'POST', '/v1/audio', upload(user, file('mp3', 100 * 1024)), { status: 422, code: 'FILE_TOO_LARGE' });
    await call(main, 'POST', '/v1/audio', upload(user, file('png', 100)), { status: 422, code: 'INVALID_FILE_TYPE' });
    await call(main, 'POST', '/v1/audio', upload(user, undefined, { title: 'x' }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/audio', json(user, {}), { status: 400, code: 'MALFORMED_REQUEST' });
    const flagged = file('mp3', 100);
    main.state.flag(Buffer.from(flagged), ['politics']);
    await call(main, 'POST', '/v1/audio', upload(alice, flagged), { status: 451, code: 'COMPLIANCE_BLOCKED' });
    for (const [fault, code] of [['storage', 'STORAGE_ERROR'], ['content-safety', 'DEPENDENCY_UNAVAILABLE']] as const) {
      main.state.faults.add(fault);
      try {
        await call(main, 'POST', '/v1/audio', upload(alice, file('mp3', 100)), { status: 502, code });
      } finally {
        main.state.faults.delete(fault);
      }
    }
    await call(main, 'GET', `/v1/audio/${a.data.id}`, { headers: user }, { status: 200 });
    await call(main, 'GET', `/v1/audio/${demo.bobAudioId}`, { headers: user }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'GET', '/v1/audio/aud_nope', { headers: user }, { status: 404, code: 'NOT_FOUND' });
  });

  it('documents: create, get, delete and every error', async () => {
    const user = await newUser(main, 'doc');
    const d = await call(main, 'POST', '/v1/docs', json(user, { markdown: '# One' }), { status: 201 });
    await call(main, 'POST', '/v1/docs', json(user, { markdown: '# One' }), { status: 409, code: 'DOC_HASH_DUPLICATE' });
    await call(main, 'POST', '/v1/docs', json(user, { markdown: '# Two' }), { status: 201 });
    await call(main, 'POST', '/v1/docs', json(user, { markdown: '# Three' }), { status: 201 });
    await call(main, 'POST', '/v1/docs', json(user, { markdown: '# Four' }), { status: 403, code: 'QUOTA_EXCEEDED' });
    await call(main, 'POST', '/v1/docs', json(user, { title: 'no markdown' }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/docs', json(user, { markdown: 'y'.repeat(9000) }), { status: 422, code: 'DOC_FILE_TOO_LARGE' });
    await call(main, 'POST', '/v1/docs', json(user, { markdown: '![a](https://x.example.com/a.png)\n'.repeat(4) }), { status: 422, code: 'DOC_IMAGE_LIMIT_EXCEEDED' });
    await call(main, 'POST', '/v1/docs', json(user, '{"markdown":'), { status: 400, code: 'MALFORMED_REQUEST' });
    await call(main, 'POST', '/v1/docs', json(alice, { markdown: '# Flagged' }), { status: 201 });
    main.state.flag('# Really flagged', ['ad']);
    await call(main, 'POST', '/v1/docs', json(alice, { markdown: '# Really flagged' }), { status: 451, code: 'COMPLIANCE_BLOCKED' });
    for (const [fault, code] of [['storage', 'STORAGE_ERROR'], ['content-safety', 'DEPENDENCY_UNAVAILABLE']] as const) {
      main.state.faults.add(fault);
      try {
        await call(main, 'POST', '/v1/docs', json(alice, { markdown: `# Outage ${fault}` }), { status: 502, code });
      } finally {
        main.state.faults.delete(fault);
      }
    }
    await call(main, 'GET', `/v1/docs/${d.data.id}`, { headers: user }, { status: 200 });
    await call(main, 'GET', `/v1/docs/${demo.bobDocId}`, { headers: user }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'GET', '/v1/docs/doc_nope', { headers: user }, { status: 404, code: 'NOT_FOUND' });
    await call(main, 'DELETE', `/v1/docs/${demo.bobDocId}`, { headers: user }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'DELETE', '/v1/docs/doc_nope', { headers: user }, { status: 404, code: 'NOT_FOUND' });
    main.state.faults.add('storage');
    try {
      await call(main, 'DELETE', `/v1/docs/${d.data.id}`, { headers: user }, { status: 502, code: 'STORAGE_ERROR' });
    } finally {
      main.state.faults.delete('storage');
    }
    await call(main, 'GET', `/v1/docs/${d.data.id}`, { headers: user }, { status: 200 });
    await call(main, 'DELETE', `/v1/docs/${d.data.id}`, { headers: user }, { status: 200 });
  });

  it('API keys: a session creates and revokes; an API key can do neither', async () => {
    const created = await call(main, 'POST', '/v1/api-keys', json(session, { name: 'ci' }), { status: 201 });
    await call(main, 'POST', '/v1/api-keys', json(alice, { name: 'ci' }), { status: 401, code: 'UNAUTHORIZED' });
    await call(main, 'POST', '/v1/api-keys', json(session, { name: '' }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/api-keys', json(session, '{'), { status: 400, code: 'MALFORMED_REQUEST' });
    await call(main, 'DELETE', `/v1/api-keys/${created.data.id}`, { headers: alice }, { status: 401, code: 'UNAUTHORIZED' });
    await call(main, 'DELETE', `/v1/api-keys/${demo.adminKeyId}`, { headers: session }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'DELETE', '/v1/api-keys/key_nope', { headers: session }, { status: 404, code: 'NOT_FOUND' });
    await call(main, 'DELETE', `/v1/api-keys/${created.data.id}`, { headers: session }, { status: 200 });
    await call(main, 'GET', '/v1/images', { headers: bearer(created.data.key) }, { status: 401, code: 'API_KEY_REVOKED' });
  });

  it('OAuth: registration, code exchange with PKCE, rotation and replay', async () => {
    const redirect = 'http://127.0.0.1:33418/callback';
    await call(main, 'POST', '/oauth/register', json({}, { client_name: 'Claude Desktop', redirect_uris: [redirect], scope: 'docs:read' }), { status: 201 });
    await call(main, 'POST', '/oauth/register', json({}, { client_name: 'x', redirect_uris: [] }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/oauth/register', { headers: { 'content-type': 'application/json' }, body: '[' }, { status: 400, code: 'MALFORMED_REQUEST' });
    await call(registration, 'POST', '/oauth/register', json({}, { client_name: 'x', redirect_uris: [redirect] }), { status: 429, code: 'OAUTH_CLIENT_RATE_LIMITED' });

    const o = demo.oauth;
    await call(main, 'POST', '/oauth/token', json({}, { grant_type: 'authorization_code' }), { status: 400, code: 'MALFORMED_REQUEST' });
    await call(main, 'POST', '/oauth/token', form({}, { client_id: o.clientId }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/oauth/token', form({}, { grant_type: 'authorization_code', client_id: o.clientId, code: 'oac_nope', redirect_uri: o.redirectUri, code_verifier: 'x' }), {
      status: 401,
      code: 'UNAUTHORIZED',
    });
    const tokens = await call(main, 'POST', '/oauth/token', form({}, { grant_type: 'authorization_code', client_id: o.clientId, code: o.code, redirect_uri: o.redirectUri, code_verifier: o.codeVerifier }), {
      status: 200,
    });
    const rotated = await call(main, 'POST', '/oauth/token', form({}, { grant_type: 'refresh_token', client_id: o.clientId, refresh_token: tokens.refresh_token }), { status: 200 });
    await call(main, 'POST', '/oauth/token', form({}, { grant_type: 'refresh_token', client_id: o.clientId, refresh_token: tokens.refresh_token }), { status: 401, code: 'OAUTH_REFRESH_REPLAYED' });
    // The replay revoked the whole chain: the rotated tokens are dead too.
    await call(main, 'POST', '/mcp', json(bearer(rotated.access_token), { jsonrpc: '2.0', id: 1, method: 'tools/list' }), { status: 401, code: 'OAUTH_BEARER_INVALID' });
  });

  it('MCP: bearer tokens, scopes, JSON-RPC validation', async () => {
    const read = bearer(demo.oauth.readToken);
    await call(main, 'POST', '/mcp', json(read, { jsonrpc: '2.0', id: 1, method: 'tools/list' }), { status: 200 });
    const miss = await call(main, 'POST', '/mcp', json(read, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_doc', arguments: { id: 'doc_nope' } } }), { status: 200 });
    expect(miss.result.isError).toBe(true);
    const scope = await call(main, 'POST', '/mcp', json(read, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'delete_doc', arguments: { id: 'doc_x' } } }), {
      status: 403,
      code: 'OAUTH_SCOPE_INSUFFICIENT',
    });
    expect(scope.meta).toEqual({ required: ['docs:write'], granted: ['docs:read'] });
    await call(main, 'POST', '/mcp', json({}, { jsonrpc: '2.0', id: 4, method: 'tools/list' }), { status: 401, code: 'UNAUTHORIZED' });
    await call(main, 'POST', '/mcp', json(bearer(demo.oauth.revokedToken), { jsonrpc: '2.0', id: 5, method: 'tools/list' }), { status: 401, code: 'OAUTH_BEARER_INVALID' });
    await call(main, 'POST', '/mcp', json(bearer(demo.oauth.expiredToken), { jsonrpc: '2.0', id: 6, method: 'tools/list' }), { status: 401, code: 'TOKEN_EXPIRED' });
    await call(main, 'POST', '/mcp', json(read, { jsonrpc: '1.0', id: 7, method: 'tools/list' }), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/mcp', json(read, '{"jsonrpc":'), { status: 400, code: 'MALFORMED_REQUEST' });
  });

  it('admin CDN allowlist', async () => {
    await call(main, 'GET', '/v1/admin/cdn-allowlist', { headers: admin }, { status: 200 });
    await call(main, 'GET', '/v1/admin/cdn-allowlist', { headers: alice }, { status: 403, code: 'FORBIDDEN' });
    const added = await call(main, 'POST', '/v1/admin/cdn-allowlist', json(admin, { pattern: 'media.example.org' }), { status: 201 });
    await call(main, 'POST', '/v1/admin/cdn-allowlist', json(alice, { pattern: 'a.example.net' }), { status: 403, code: 'FORBIDDEN' });
    await call(main, 'POST', '/v1/admin/cdn-allowlist', json(admin, { pattern: '.EXAMPLE.com' }), { status: 409, code: 'CONFLICT' });
    await call(main, 'POST', '/v1/admin/cdn-allowlist', json(admin, { pattern: 'https://media.example.com' }), { status: 422, code: 'DOC_INVALID_PATTERN' });
    await call(main, 'POST', '/v1/admin/cdn-allowlist', json(admin, {}), { status: 422, code: 'VALIDATION_ERROR' });
    await call(main, 'POST', '/v1/admin/cdn-allowlist', json(admin, '"nope'), { status: 400, code: 'MALFORMED_REQUEST' });
    await call(main, 'DELETE', `/v1/admin/cdn-allowlist/${added.data.id}`, { headers: alice }, { status: 403, code: 'FORBIDDEN' });
    await call(main, 'DELETE', `/v1/admin/cdn-allowlist/${added.data.id}`, { headers: admin }, { status: 200 });
    await call(main, 'DELETE', `/v1/admin/cdn-allowlist/${added.data.id}`, { headers: admin }, { status: 404, code: 'NOT_FOUND' });
  });

  it('an unknown route and a wrong method answer the declared unrouted error (x-errata.unrouted: 404 NOT_FOUND)', async () => {
    // An unknown path, a known path with a method it does not have, a path one segment too deep.
    for (const [method, p] of [['GET', '/v2/nothing'], ['PUT', '/v1/images'], ['GET', '/v1/images/a/b']] as const) {
      const body = await call(main, method, p, {}, { status: 404, code: 'NOT_FOUND' });
      expect(body).toEqual({ success: false, code: 'NOT_FOUND', error: catalogMessage('NOT_FOUND') });
    }
    expect(triggered.has(`${UNROUTED} 404 NOT_FOUND`)).toBe(true);
  });

  it('covers every declared triple but the listed untriggerable ones, and every operation succeeds once', () => {
    for (const [triple, reason] of Object.entries(UNTRIGGERABLE)) {
      expect(DECLARED.has(triple), `${triple} is listed as untriggerable but not declared`).toBe(true);
      expect(reason.trim().length, `${triple} needs a reason`).toBeGreaterThan(10);
      expect(triggered.has(triple), `${triple} is listed as untriggerable but a request triggered it`).toBe(false);
    }
    const undeclared = [...triggered].filter((t) => !DECLARED.has(t));
    expect(undeclared, 'responses the catalog does not declare').toEqual([]);
    const missing = [...DECLARED].filter((t) => !triggered.has(t) && !Object.hasOwn(UNTRIGGERABLE, t)).sort();
    expect(missing, 'declared triples neither triggered nor listed as untriggerable (with a reason)').toEqual([]);
    const ops = validator.operations().map((o) => o.operationId);
    const succeededOps = new Set([...succeeded].map((s) => s.split(' ')[0]));
    expect(ops.filter((o) => !succeededOps.has(o)), 'operations without a validated success response').toEqual([]);
    console.log(
      `[picora e2e] triggered ${triggered.size} of ${DECLARED.size} declared (operation, status, code) triples; ` +
        `${Object.keys(UNTRIGGERABLE).length} untriggerable; ${succeeded.size} success responses; ${validated} responses validated with @hyperjump/json-schema (OpenAPI 3.1 dialect)` +
        Object.entries(UNTRIGGERABLE)
          .map(([t, r]) => `\n  untriggerable ${t}: ${r}`)
          .join(''),
    );
  });
});
