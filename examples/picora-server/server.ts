/**
 * An example Picora server on node:http, built only with the generated helpers
 * (`generated/server.ts`): every error it sends comes from the builder of the operation that
 * handles the request, so it cannot send a code, status or meta the contract does not declare.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerErrors, type ErrorBodies, type HttpResult, type OperationErrorInput, type RequestScope, type ServerErrors } from '../../generated/server';
import { authenticate, failed, invalid, isObject, mediaType, RateLimiter, readBody, readJson, stringField, type Failed, type Principal } from './edge';
import { FREE_PLAN, State, type CdnEntry, type ImageRecord, type Plan } from './state';

export { demo } from './state';

export interface PicoraServerOptions {
  port?: number;
  host?: string;
  /** Requests per window per caller. Default 120 per minute. */
  rateLimit?: { limit: number; windowMs: number };
  /** The free plan's limits (tests shrink them). */
  plan?: Partial<Plan>;
  /** Endpoint hard limits, bytes: an upload body above `uploadBytes` is 413 FILE_TOO_LARGE. */
  limits?: { uploadBytes?: number; jsonBytes?: number };
  /**
   * Called with the operation id before its handler runs. Lets tests make a handler fail
   * unexpectedly, to see the internal error a client gets.
   */
  beforeHandler?: (operationId: string) => void;
  /** Where unexpected exceptions are reported. Default: console.error. */
  onUnexpected?: (error: unknown, info: { requestId: string }) => void;
}

export interface PicoraServer {
  url: string;
  close(): Promise<void>;
  state: State;
}

type Scope = RequestScope<OperationErrorInput, ErrorBodies>;
type Errors = Scope['errors'];
interface Ctx {
  req: IncomingMessage;
  scope: Scope;
  e: Errors;
  params: string[];
  url: URL;
}
interface Route {
  method: string;
  pattern: RegExp;
  operation: keyof OperationErrorInput;
  handle(ctx: Ctx): Promise<HttpResult>;
}

const ACCEPTED_IMAGES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

export function createPicoraHandler(options: PicoraServerOptions = {}): { handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>; state: State } {
  const state = new State({ ...FREE_PLAN, ...options.plan });
  const limiter = new RateLimiter(options.rateLimit?.limit ?? 120, options.rateLimit?.windowMs ?? 60_000);
  const uploadLimit = options.limits?.uploadBytes ?? 128 * 1024;
  const jsonLimit = options.limits?.jsonBytes ?? 32 * 1024;
  const errata: ServerErrors<OperationErrorInput, ErrorBodies> = createServerErrors({
    guard: true,
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
  });

  /** Authenticated route prelude: credentials, then the caller's rate limit. */
  function caller(ctx: Ctx, fail: Parameters<typeof authenticate>[2] & Parameters<RateLimiter['check']>[1]): Principal | Failed {
    const who = authenticate(ctx.req, state, fail);
    if (failed(who)) return who;
    return limiter.check(who.user.id, fail) ?? who;
  }

  const ok = (ctx: Ctx, status: number, data: unknown) => ctx.scope.json(status, { success: true, data });

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/images$/,
      operation: 'uploadImage',
      async handle(ctx) {
        const e = ctx.e.uploadImage;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        if (mediaType(ctx.req) !== 'multipart/form-data') {
          ctx.req.resume();
          return e({ code: 'MALFORMED_REQUEST', message: 'Upload the image as `multipart/form-data`.' });
        }
        const body = await readBody(ctx.req, uploadLimit);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The upload was cut off.' });
        if ('tooLarge' in body) return e({ code: 'FILE_TOO_LARGE', status: 413, meta: { maxBytes: uploadLimit } });
        let form: FormData;
        try {
          form = await new Response(new Uint8Array(body.bytes), { headers: { 'content-type': String(ctx.req.headers['content-type']) } }).formData();
        } catch {
          return e({ code: 'MALFORMED_REQUEST', message: 'The multipart body could not be parsed.' });
        }
        const file = form.get('file');
        if (!(file instanceof Blob)) return invalid(e, ['file'], 'Required').error;
        const folder = form.get('folder');
        if (typeof folder === 'string' && folder.length > 64) return invalid(e, ['folder'], 'Must contain at most 64 character(s)', 'too_big').error;
        const alt = form.get('alt');
        const bytes = Buffer.from(await file.arrayBuffer());
        const sniffed = sniffImage(bytes);
        if (!sniffed) return e({ code: 'INVALID_FILE_TYPE', meta: { accepted: ACCEPTED_IMAGES, received: file.type || 'application/octet-stream' } });
        const plan = who.user.plan;
        if (bytes.length > plan.imageFileBytes) return e({ code: 'FILE_TOO_LARGE', status: 422, meta: { maxBytes: plan.imageFileBytes, actualBytes: bytes.length } });
        if (who.user.imageBytesUsed + bytes.length > plan.imageStorageBytes) {
          return e({ code: 'QUOTA_EXCEEDED', meta: { type: 'img_storage', used: who.user.imageBytesUsed, limit: plan.imageStorageBytes } });
        }
        const id = state.nextId('img');
        const image: ImageRecord = {
          id, userId: who.user.id, url: `https://cdn.picora.me/u/${who.user.id}/${id}.${sniffed.ext}`, mimeType: sniffed.type, sizeBytes: bytes.length,
          width: sniffed.width, height: sniffed.height, folder: typeof folder === 'string' ? folder : null, alt: typeof alt === 'string' ? alt : null,
          createdAt: new Date().toISOString(),
        };
        state.images.set(id, image);
        who.user.imageBytesUsed += bytes.length;
        return ok(ctx, 201, publicImage(image));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/images$/,
      operation: 'listImages',
      async handle(ctx) {
        const e = ctx.e.listImages;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        const raw = ctx.url.searchParams.get('limit');
        const limit = raw === null ? 20 : Number(raw);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid(e, ['limit'], 'Expected an integer from 1 to 100', 'too_big').error;
        const images = state.imagesOf(who.user.id).reverse();
        return ctx.scope.json(200, { success: true, data: images.slice(0, limit).map(publicImage), pagination: { hasMore: images.length > limit, nextCursor: null } });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/images\/([^/]+)$/,
      operation: 'getImage',
      async handle(ctx) {
        const e = ctx.e.getImage;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        const image = state.images.get(ctx.params[0]!);
        if (!image) return e({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
        if (image.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: "This image belongs to another user." });
        return ok(ctx, 200, publicImage(image));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/images\/([^/]+)$/,
      operation: 'deleteImage',
      async handle(ctx) {
        const e = ctx.e.deleteImage;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        const image = state.images.get(ctx.params[0]!);
        if (!image) return e({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
        if (image.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This image belongs to another user.' });
        state.images.delete(image.id);
        who.user.imageBytesUsed -= image.sizeBytes;
        return ok(ctx, 200, { id: image.id, deleted: true });
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/docs$/,
      operation: 'createDoc',
      async handle(ctx) {
        const e = ctx.e.createDoc;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        const body = await readJson(ctx.req, jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const markdown = stringField(body.value, 'markdown', e, { required: true, min: 1, max: Number.MAX_SAFE_INTEGER });
        if (failed(markdown)) return markdown.error;
        const title = stringField(body.value, 'title', e, { required: false, max: 200 });
        if (failed(title)) return title.error;
        const plan = who.user.plan;
        const sizeBytes = Buffer.byteLength(markdown!);
        if (sizeBytes > plan.docMaxFileBytes) return e({ code: 'DOC_FILE_TOO_LARGE', meta: { maxBytes: plan.docMaxFileBytes, actualBytes: sizeBytes } });
        const imageCount = (markdown!.match(/!\[[^\]]*\]\([^)]*\)/g) ?? []).length;
        if (imageCount > plan.docMaxImagesPerDoc) return e({ code: 'DOC_IMAGE_LIMIT_EXCEEDED', meta: { max: plan.docMaxImagesPerDoc, actual: imageCount } });
        const hash = createHash('sha256').update(markdown!).digest('hex');
        const mine = state.docsOf(who.user.id);
        const existing = mine.find((d) => d.hash === hash);
        // A duplicate is a no-op, so it is checked before the quota it would not consume.
        if (existing) return e({ code: 'DOC_HASH_DUPLICATE', meta: { existingId: existing.id } });
        if (mine.length >= plan.docCount) return e({ code: 'QUOTA_EXCEEDED', meta: { type: 'doc_count', used: mine.length, limit: plan.docCount } });
        const id = state.nextId('doc');
        const doc = {
          id, userId: who.user.id, title: title ?? /^#\s+(.+)$/m.exec(markdown!)?.[1] ?? 'Untitled', hash, markdown: markdown!, sizeBytes, imageCount,
          url: `https://docs.picora.me/d/${id}`, createdAt: new Date().toISOString(),
        };
        state.docs.set(id, doc);
        const { userId: _owner, markdown: _markdown, ...data } = doc;
        return ok(ctx, 201, data);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/docs\/([^/]+)$/,
      operation: 'getDoc',
      async handle(ctx) {
        const e = ctx.e.getDoc;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        const doc = state.docs.get(ctx.params[0]!);
        if (!doc) return e({ code: 'NOT_FOUND', meta: { entity: 'Document' } });
        if (doc.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This document belongs to another user.' });
        const { userId: _owner, ...data } = doc;
        return ok(ctx, 200, data);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/api-keys$/,
      operation: 'createApiKey',
      async handle(ctx) {
        const e = ctx.e.createApiKey;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        // Picora's decision (see the contract): an API key cannot mint further keys.
        if (who.via !== 'session') return e({ code: 'UNAUTHORIZED', message: 'Creating API keys needs a dashboard session, not an API key.' });
        const body = await readJson(ctx.req, jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const name = stringField(body.value, 'name', e, { required: true, min: 1, max: 64 });
        if (failed(name)) return name.error;
        const id = state.nextId('key');
        const key = `sk_live_${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
        const record = { id, userId: who.user.id, name: name!, key, createdAt: new Date().toISOString(), lastUsedAt: null, revokedAt: null };
        state.apiKeys.set(id, record);
        return ok(ctx, 201, { ...publicKey(record), key });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/api-keys\/([^/]+)$/,
      operation: 'revokeApiKey',
      async handle(ctx) {
        const e = ctx.e.revokeApiKey;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        const key = state.apiKeys.get(ctx.params[0]!);
        if (!key) return e({ code: 'NOT_FOUND', meta: { entity: 'ApiKey' } });
        if (key.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This key belongs to another user.' });
        key.revokedAt ??= new Date().toISOString();
        return ok(ctx, 200, publicKey(key));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/admin\/cdn-allowlist$/,
      operation: 'listCdnAllowlist',
      async handle(ctx) {
        const e = ctx.e.listCdnAllowlist;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        if (!who.user.isAdmin) return e({ code: 'FORBIDDEN', message: 'Admin only.' });
        return ok(ctx, 200, [...state.cdn.values()]);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/admin\/cdn-allowlist$/,
      operation: 'addCdnAllowlistEntry',
      async handle(ctx) {
        const e = ctx.e.addCdnAllowlistEntry;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        if (!who.user.isAdmin) {
          ctx.req.resume();
          return e({ code: 'FORBIDDEN', message: 'Admin only.' });
        }
        const body = await readJson(ctx.req, jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const pattern = stringField(body.value, 'pattern', e, { required: true, min: 1, max: 253 });
        if (failed(pattern)) return pattern.error;
        const note = stringField(body.value, 'note', e, { required: false, max: 200 });
        if (failed(note)) return note.error;
        // A bare hostname, optionally with a leading dot: no scheme, port, path or other characters.
        if (!/^\.?(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i.test(pattern!)) {
          return e({ code: 'DOC_INVALID_PATTERN', meta: { pattern: pattern! } });
        }
        const normalized = pattern!.toLowerCase();
        if ([...state.cdn.values()].some((c) => c.pattern === normalized)) return e({ code: 'CONFLICT', message: `\`${normalized}\` is already on the allowlist.` });
        const entry: CdnEntry = { id: state.nextId('cdn'), pattern: normalized, match: normalized.startsWith('.') ? 'suffix' : 'exact', note: note ?? null, createdAt: new Date().toISOString() };
        state.cdn.set(entry.id, entry);
        return ok(ctx, 201, entry);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/admin\/cdn-allowlist\/([^/]+)$/,
      operation: 'removeCdnAllowlistEntry',
      async handle(ctx) {
        const e = ctx.e.removeCdnAllowlistEntry;
        const who = caller(ctx, e);
        if (failed(who)) return who.error;
        if (!who.user.isAdmin) return e({ code: 'FORBIDDEN', message: 'Admin only.' });
        const entry = state.cdn.get(ctx.params[0]!);
        if (!entry) return e({ code: 'NOT_FOUND', meta: { entity: 'CdnWhitelistEntry' } });
        state.cdn.delete(entry.id);
        return ok(ctx, 200, { id: entry.id, deleted: true });
      },
    },
    {
      method: 'GET',
      pattern: /^\/videos\/([^/]+)\/playlist\.m3u8$/,
      operation: 'getVideoPlaylist',
      async handle(ctx) {
        const e = ctx.e.getVideoPlaylist;
        // The playback edge takes no credentials, so its rate limit is per client address.
        const limited = limiter.check(`ip:${ctx.req.socket.remoteAddress}`, e);
        if (limited) return limited.error;
        const video = state.videos.get(ctx.params[0]!);
        if (!video) return e({ code: 'NOT_FOUND', meta: { entity: 'Video' } });
        if (video.playbackToken !== undefined) {
          const expires = Number(ctx.url.searchParams.get('expires'));
          if (ctx.url.searchParams.get('token') !== video.playbackToken || !(expires * 1000 > Date.now())) {
            return e({ code: 'FORBIDDEN', message: 'Signed playback: the token is missing, invalid or expired.' });
          }
        }
        if (video.bandwidthState === 'suspended') return e({ code: 'BANDWIDTH_SUSPENDED', meta: { state: 'suspended', resetsAt: video.bandwidthResetsAt } });
        const variants = video.bandwidthState === 'degraded' ? ['360p'] : ['360p', '1080p'];
        const playlist = ['#EXTM3U', ...variants.map((v) => `#EXT-X-STREAM-INF:BANDWIDTH=${v === '360p' ? 800000 : 5000000}\n${v}/playlist.m3u8`)].join('\n');
        return ctx.scope.text(200, `${playlist}\n`, 'application/vnd.apple.mpegurl');
      },
    },
  ];

  const handler = errata.node(async (req: IncomingMessage, _res: ServerResponse, scope) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const route of routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m || route.method !== req.method) continue;
      options.beforeHandler?.(route.operation);
      return route.handle({ req, scope, e: scope.errors, params: m.slice(1).map(decodeURIComponent), url });
    }
    // Outside the contract (no operation, so no code to send): an empty 404 with the request id.
    req.resume();
    return { status: 404, headers: scope.headers(), body: undefined };
  });
  return { handler, state };
}

/** Starts the example server; `port: 0` picks a free port. */
export async function startPicoraServer(options: PicoraServerOptions = {}): Promise<PicoraServer> {
  const { handler, state } = createPicoraHandler(options);
  const server = createServer((req, res) => void handler(req, res));
  // A client that stops sending mid-body must not hold a socket forever.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function publicImage(i: ImageRecord) {
  const { userId: _owner, ...image } = i;
  return image;
}

function publicKey(k: { id: string; name: string; key: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }) {
  return { id: k.id, name: k.name, prefix: k.key.slice(0, 12), createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt };
}

/** The image type from the file's first bytes (never the client's claim), with its size when cheap to read. */
function sniffImage(b: Buffer): { type: string; ext: string; width: number; height: number } | undefined {
  if (b.length >= 24 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { type: 'image/png', ext: 'png', width: Math.max(1, b.readUInt32BE(16)), height: Math.max(1, b.readUInt32BE(20)) };
  }
  if (b.length >= 10 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a')) {
    return { type: 'image/gif', ext: 'gif', width: Math.max(1, b.readUInt16LE(6)), height: Math.max(1, b.readUInt16LE(8)) };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { type: 'image/jpeg', ext: 'jpg', width: 1, height: 1 };
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return { type: 'image/webp', ext: 'webp', width: 1, height: 1 };
  return undefined;
}
