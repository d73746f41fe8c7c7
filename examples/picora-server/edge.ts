/**
 * Checks every route shares: credentials, rate limit, reading and parsing the body. Each takes the
 * operation's own error builder; its parameter type names only the codes the check returns, so
 * passing the builder of an operation that does not declare them is a compile error.
 */
import type { IncomingMessage } from 'node:http';
import type { ErrorMeta } from '../../generated/catalog';
import type { ErrorResult, RetryAfter } from '../../generated/server';
import type { State, User } from './state';

export type Failed = { error: ErrorResult };

export type AuthFail = (
  input: { code: 'UNAUTHORIZED'; message?: string } | { code: 'API_KEY_REVOKED' } | { code: 'TOKEN_EXPIRED' },
) => ErrorResult;
export type RateFail = (input: { code: 'RATE_LIMITED'; meta: ErrorMeta['RATE_LIMITED']; retryAfter: RetryAfter }) => ErrorResult;
export type MalformedFail = (input: { code: 'MALFORMED_REQUEST'; message?: string }) => ErrorResult;
export type ValidationFail = (input: { code: 'VALIDATION_ERROR'; meta: ErrorMeta['VALIDATION_ERROR']; message?: string }) => ErrorResult;

export interface Principal {
  user: User;
  /** How the caller authenticated: an API key or a dashboard session. */
  via: 'key' | 'session';
}

/** `Authorization: Bearer <api key | session token>`. */
export function authenticate(req: IncomingMessage, state: State, fail: AuthFail): Principal | Failed {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return { error: fail({ code: 'UNAUTHORIZED', message: 'Missing `Authorization: Bearer` header.' }) };
  const token = match[1]!;
  if (token.startsWith('sk_live_')) {
    const key = [...state.apiKeys.values()].find((k) => k.key === token);
    if (!key) return { error: fail({ code: 'UNAUTHORIZED', message: 'Unknown API key.' }) };
    if (key.revokedAt) return { error: fail({ code: 'API_KEY_REVOKED' }) };
    key.lastUsedAt = new Date().toISOString();
    return { user: state.users.get(key.userId)!, via: 'key' };
  }
  const session = state.sessions.get(token);
  if (!session) return { error: fail({ code: 'UNAUTHORIZED', message: 'Unknown or malformed token.' }) };
  if (session.expiresAt <= Date.now()) return { error: fail({ code: 'TOKEN_EXPIRED' }) };
  return { user: state.users.get(session.userId)!, via: 'session' };
}

/** Fixed-window counter per caller (user id, or client address on public routes). */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one request of `key`: undefined while within the limit, else when the window resets. */
  hit(key: string): { resetAt: Date } | undefined {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count <= this.limit ? undefined : { resetAt: new Date(w.start + this.windowMs) };
  }

  check(key: string, fail: RateFail): Failed | undefined {
    const over = this.hit(key);
    if (!over) return undefined;
    return { error: fail({ code: 'RATE_LIMITED', meta: { limit: this.limit, remaining: 0, resetAt: over.resetAt.toISOString() }, retryAfter: over.resetAt }) };
  }
}

export type BodyRead = { bytes: Buffer } | { tooLarge: true; received: number } | { aborted: true };

/**
 * Reads at most `limit` bytes. Past it, stops buffering and drains the rest (up to a cap) so the
 * client, still sending, can read the error instead of seeing a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  const drainCap = limit * 16;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (r: BodyRead) => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    if (Number.isFinite(declared) && declared > limit) {
      finish({ tooLarge: true, received: declared });
    }
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > drainCap) req.destroy();
      else if (received > limit) finish({ tooLarge: true, received });
      else if (!done) chunks.push(chunk);
    });
    req.on('end', () => finish({ bytes: Buffer.concat(chunks) }));
    req.on('aborted', () => finish({ aborted: true }));
    req.on('error', () => finish({ aborted: true }));
  });
}

/** The media type of the request without parameters, lower-cased. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Reads and parses a JSON body: wrong content type, unreadable or oversized body are MALFORMED_REQUEST. */
export async function readJson(req: IncomingMessage, limit: number, fail: MalformedFail): Promise<{ value: unknown } | Failed | { aborted: true }> {
  const type = mediaType(req);
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    req.resume();
    return { error: fail({ code: 'MALFORMED_REQUEST', message: `Expected \`Content-Type: application/json\`, got \`${type || 'none'}\`.` }) };
  }
  const body = await readBody(req, limit);
  if ('aborted' in body) return body;
  if ('tooLarge' in body) return { error: fail({ code: 'MALFORMED_REQUEST', message: `The body exceeds this endpoint's limit of ${limit} bytes.` }) };
  try {
    return { value: JSON.parse(body.bytes.toString('utf8')) };
  } catch {
    return { error: fail({ code: 'MALFORMED_REQUEST', message: 'The body is not valid JSON.' }) };
  }
}

/** One failing field, in the shape of a Zod issue (what Picora's VALIDATION_ERROR carries). */
export function invalid(fail: ValidationFail, path: (string | number)[], message: string, code = 'invalid_type'): Failed {
  return { error: fail({ code: 'VALIDATION_ERROR', meta: { path: path.join('.'), issues: [{ path, message, code }] }, message: `${path.join('.') || 'body'}: ${message}` }) };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field within bounds, or the VALIDATION_ERROR for it. */
export function stringField(body: Record<string, unknown>, name: string, fail: ValidationFail, opts: { required: boolean; min?: number; max: number }): string | undefined | Failed {
  const v = body[name];
  if (v === undefined && !opts.required) return undefined;
  if (typeof v !== 'string') return invalid(fail, [name], v === undefined ? 'Required' : 'Expected string');
  const length = characters(v);
  if (length < (opts.min ?? 0)) return invalid(fail, [name], `Must contain at least ${opts.min} character(s)`, 'too_small');
  if (length > opts.max) return invalid(fail, [name], `Must contain at most ${opts.max} character(s)`, 'too_big');
  return v;
}

export function failed(v: unknown): v is Failed {
  return isObject(v) && 'error' in v && isObject(v.error) && typeof v.error.status === 'number';
}

export type UploadFail = (
  input:
    | { code: 'MALFORMED_REQUEST'; message?: string }
    | { code: 'FILE_TOO_LARGE'; status: 413; meta: ErrorMeta['FILE_TOO_LARGE'] }
    | { code: 'VALIDATION_ERROR'; meta: ErrorMeta['VALIDATION_ERROR']; message?: string },
) => ErrorResult;

/** A `multipart/form-data` upload: its `file` part's bytes and the other (text) fields. */
export interface Upload {
  file: Buffer;
  fields: Map<string, string>;
}

/**
 * Reads an upload within the endpoint's hard limit (413 past it), then parses it: the wrong media
 * type or an unparseable body is MALFORMED_REQUEST, a missing `file` or a field that is not text
 * VALIDATION_ERROR.
 */
export async function readUpload(req: IncomingMessage, limit: number, fail: UploadFail): Promise<Upload | Failed> {
  if (mediaType(req) !== 'multipart/form-data') {
    req.resume();
    return { error: fail({ code: 'MALFORMED_REQUEST', message: 'Upload the file as `multipart/form-data`.' }) };
  }
  const body = await readBody(req, limit);
  if ('aborted' in body) return { error: fail({ code: 'MALFORMED_REQUEST', message: 'The upload was cut off.' }) };
  if ('tooLarge' in body) return { error: fail({ code: 'FILE_TOO_LARGE', status: 413, meta: { maxBytes: limit } }) };
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body.bytes), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
  } catch {
    return { error: fail({ code: 'MALFORMED_REQUEST', message: 'The multipart body could not be parsed.' }) };
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) return invalid(fail, ['file'], 'Required');
  const fields = new Map<string, string>();
  for (const [name, value] of form) {
    if (name === 'file') continue;
    if (typeof value !== 'string') return invalid(fail, [name], 'Expected string');
    fields.set(name, value);
  }
  return { file: Buffer.from(await file.arrayBuffer()), fields };
}

/** An optional text field of an upload within its maximum length, or the VALIDATION_ERROR for it. */
export function uploadField(upload: Upload, name: string, max: number, fail: ValidationFail): string | null | Failed {
  const v = upload.fields.get(name);
  if (v === undefined) return null;
  if (characters(v) > max) return invalid(fail, [name], `Must contain at most ${max} character(s)`, 'too_big');
  return v;
}

/** JSON Schema's `maxLength` counts code points, not UTF-16 units (an emoji is one character). */
function characters(v: string): number {
  let n = 0;
  for (const _ of v) n += 1;
  return n;
}

/** Reads an `application/x-www-form-urlencoded` body (OAuth token requests). */
export async function readUrlEncoded(req: IncomingMessage, limit: number, fail: MalformedFail): Promise<{ value: URLSearchParams } | Failed | { aborted: true }> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    req.resume();
    return { error: fail({ code: 'MALFORMED_REQUEST', message: 'Expected `Content-Type: application/x-www-form-urlencoded`.' }) };
  }
  const body = await readBody(req, limit);
  if ('aborted' in body) return body;
  if ('tooLarge' in body) return { error: fail({ code: 'MALFORMED_REQUEST', message: `The body exceeds this endpoint's limit of ${limit} bytes.` }) };
  return { value: new URLSearchParams(body.bytes.toString('utf8')) };
}

/**
 * A path segment, percent-decoded. A malformed escape (`%ZZ`) is kept as sent: no id contains `%`,
 * so the segment names nothing and the handler answers its declared 404 rather than throwing.
 */
export function pathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
