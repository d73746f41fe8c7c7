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

  check(key: string, fail: RateFail): Failed | undefined {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count <= this.limit) return undefined;
    const resetAt = new Date(w.start + this.windowMs);
    return { error: fail({ code: 'RATE_LIMITED', meta: { limit: this.limit, remaining: 0, resetAt: resetAt.toISOString() }, retryAfter: resetAt }) };
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
  if (v.length < (opts.min ?? 0)) return invalid(fail, [name], `Must contain at least ${opts.min} character(s)`, 'too_small');
  if (v.length > opts.max) return invalid(fail, [name], `Must contain at most ${opts.max} character(s)`, 'too_big');
  return v;
}

export function failed(v: unknown): v is Failed {
  return isObject(v) && 'error' in v && isObject(v.error) && typeof v.error.status === 'number';
}
