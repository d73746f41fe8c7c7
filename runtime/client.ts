/**
 * Client-side errors and retries for an errata contract, on top of openapi-fetch. The generated
 * `client.ts` passes in the contract tables (envelope pointers, catalog, operations) and the types
 * (per-operation codes, per-code meta); this file holds no spec strings. The core is web-standard:
 * errors are read from a `Response`, retries wrap a `(request: Request) => Promise<Response>`.
 */
import createFetchClient, { type ClientOptions as FetchClientOptions, type FetchResponse, type MaybeOptionalInit, type Middleware, type Client as FetchClient } from 'openapi-fetch';
import { pointerCodec, readAt, readCodeWith, type Codec, type EnvelopePointers } from './codec';
import { schemaProblem, type MetaSchema } from './schema-check';

// ---------------------------------------------------------------------------------------------
// Contract tables (what the generated file passes in)

export interface ClientContract {
  readonly envelope: EnvelopePointers;
  /** Every envelope as a codec (runtime/codec.ts), the default first; without it, `envelope` is the one envelope. */
  readonly codecs?: readonly Codec[] | undefined;
  /** Per code with meta, its schema: meta that breaks it is `kind: 'malformed'`, never the code's type. */
  readonly metaSchemas?: Readonly<Record<string, MetaSchema>> | undefined;
  /** `envelope`: the codec the code's bodies use, when not the default one. */
  readonly catalog: Readonly<Record<string, { readonly status: readonly number[]; readonly retry: 'none' | 'backoff' | 'after'; readonly envelope?: string | undefined }>>;
  /** Per operation, per code it declares, the statuses it may come with (status-key precedence applied by errata). */
  readonly operations: Readonly<Record<string, { readonly method: string; readonly path: string; readonly rules: Readonly<Partial<Record<string, { readonly statuses: readonly number[]; readonly meta?: boolean }>>> }>>;
  /** Per code no operation owns (`x-errata.unrouted`), the statuses it may come with on any call. */
  readonly unrouted?: Readonly<Partial<Record<string, { readonly statuses: readonly number[]; readonly meta?: boolean }>>> | undefined;
}

/** The contract's types: per-operation codes by status key, per-code meta, and which operation each `"method path"` is. */
export interface ContractTypes {
  errors: object;
  meta: object;
  index: object;
  /** Per status, the codes any call may get (`UnroutedErrors`). */
  unrouted?: object;
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * Codes the client itself assigns; lower-case with a `errata:` prefix so they can never collide
 * with a catalog code (`^[A-Z][A-Z0-9_]*$`).
 */
export const ReservedCode = {
  /** An error status with no body at all (or only whitespace). */
  emptyBody: 'errata:empty_body',
  /** The body is not JSON and does not claim to be (an HTML 502 page from a proxy or load balancer). */
  notJson: 'errata:not_json',
  /** The body claims to be JSON or starts like JSON but does not parse (truncated by a dropped connection). */
  invalidJson: 'errata:invalid_json',
  /** Valid JSON, but no string at the envelope's code pointer (a framework's default error page). */
  notEnvelope: 'errata:not_envelope',
  /**
   * A body longer than the client reads (`maxErrorBodyBytes`, default 1 MiB): the rest was left
   * unread and the stream cancelled; `rawBody` holds the part that was read.
   */
  bodyTooLarge: 'errata:body_too_large',
  /** A code this client's contract does not allow for this operation and status (a newer server). */
  unknownCode: 'errata:unknown_code',
  /** A declared code whose `meta` is missing or breaks the code's meta schema (`serverCode` holds the code). */
  malformedMeta: 'errata:malformed_meta',
  /** A success status whose body is not the JSON it claims to be (`rawBody` holds it). */
  malformedSuccess: 'errata:malformed_success',
} as const;

/** What is read of an error body by default: enough for any envelope, little enough for any process. */
export const DEFAULT_MAX_ERROR_BODY_BYTES = 1024 * 1024;

/**
 * The body of `response` as text, at most `maxBytes` of it: the rest is never read (the stream is
 * cancelled), so a huge or endless error body costs `maxBytes` of memory, not its size. A body cut
 * in the middle of a UTF-8 sequence ends with U+FFFD.
 */
export async function readBodyText(response: Response, maxBytes = DEFAULT_MAX_ERROR_BODY_BYTES): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  // The bytes are decoded once, at the end: a body cut in a UTF-8 sequence ends with U+FFFD.
  const chunks: Uint8Array[] = [];
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: decodeUtf8(chunks, read), truncated: false };
      const room = maxBytes - read;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        // Not awaited: cancelling one branch of a cloned (teed) body settles only once the other
        // branch is cancelled too.
        reader.cancel().catch(() => undefined);
        reader.releaseLock();
        return { text: decodeUtf8(chunks, maxBytes), truncated: true };
      }
      read += value.byteLength;
      chunks.push(value);
    }
  } catch {
    // A connection dropped mid-body: what arrived is the body (truncated JSON reads as invalid_json).
    reader.releaseLock();
    return { text: decodeUtf8(chunks, read), truncated: false };
  }
}

const UTF8 = new TextDecoder();

function decodeUtf8(chunks: readonly Uint8Array[], length: number): string {
  if (chunks.length === 1) return UTF8.decode(chunks[0]);
  const all = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return UTF8.decode(all);
}

export type TransportCode = (typeof ReservedCode)[Exclude<keyof typeof ReservedCode, 'unknownCode' | 'malformedMeta' | 'malformedSuccess'>];
export type MalformedCode = (typeof ReservedCode)['malformedMeta' | 'malformedSuccess'];
export type UnknownCode = typeof ReservedCode.unknownCode;

/**
 * `contract`: a code the operation declares; `unknown`: a code it does not; `transport`: no usable
 * envelope; `malformed`: a declared code whose meta breaks its schema, or a success body that is not JSON.
 */
export type ErrorKind = 'contract' | 'unknown' | 'transport' | 'malformed';

export interface ApiErrorInit<Status extends number, Code extends string, Meta> {
  kind: ErrorKind;
  status: Status;
  code: Code;
  message: string;
  meta: Meta;
  serverCode: string | undefined;
  requestId: string | undefined;
  retryAfter: number | undefined;
  body: unknown;
  rawBody: string;
  response: Response;
  operation: string | undefined;
}

/**
 * One error response, read through the contract. Narrow it by `code` or `status`: each operation's
 * error type is a union with one member per (status, code) it declares, plus the reserved members.
 */
export class ApiError<Status extends number = number, Code extends string = string, Meta = unknown> extends Error {
  override readonly name = 'ApiError';
  readonly kind: ErrorKind;
  readonly status: Status;
  readonly code: Code;
  /** The code's structured details, typed per code (`undefined` where the envelope has none). */
  readonly meta: Meta;
  /** The code exactly as the server sent it, also for unknown codes; `undefined` when there was none. */
  readonly serverCode: string | undefined;
  /** From the envelope's request id header or body member. */
  readonly requestId: string | undefined;
  /** `Retry-After` in seconds (HTTP-dates converted with the client's clock), if sent. */
  readonly retryAfter: number | undefined;
  /** The parsed body (`undefined` when it was not JSON). */
  readonly body: unknown;
  /** The body text as received, kept for logs and for bodies that were not the envelope. */
  readonly rawBody: string;
  /** The raw response; its body has already been read (use `rawBody`). */
  readonly response: Response;
  /** The operation name the call resolved to, when the path and method are in the contract. */
  readonly operation: string | undefined;

  constructor(init: ApiErrorInit<Status, Code, Meta>) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.meta = init.meta;
    this.serverCode = init.serverCode;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
    this.body = init.body;
    this.rawBody = init.rawBody;
    this.response = init.response;
    this.operation = init.operation;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export type ContractError<Status extends number, Code extends string, Meta> = ApiError<Status, Code, Meta> & { readonly kind: 'contract' };
export type UnknownCodeError = ApiError<number, UnknownCode, unknown> & { readonly kind: 'unknown'; readonly serverCode: string };
export type TransportError = ApiError<number, TransportCode, undefined> & { readonly kind: 'transport'; readonly serverCode: undefined };
/** What the server sent does not hold what the contract promises: its meta is `unknown`, as received. */
export type MalformedError = ApiError<number, MalformedCode, unknown> & { readonly kind: 'malformed' };

type StatusOfKey<K> = K extends `${infer N extends number}` ? N : number;

/** `{ "404": "NOT_FOUND" | "GONE" }` → one `ContractError` per status and code. */
export type ContractErrors<Errors, Meta> = {
  [K in keyof Errors]: Errors[K] extends infer C ? (C extends string ? ContractError<StatusOfKey<K>, C, C extends keyof Meta ? Meta[C] : unknown> : never) : never;
}[keyof Errors];

/** Everything an operation's call can fail with. */
export type ApiErrorFor<Errors, Meta> = ContractErrors<Errors, Meta> | UnknownCodeError | TransportError | MalformedError;

// ---------------------------------------------------------------------------------------------
// Reading an error response

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
  /** In [0, 1). */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** `Retry-After` as seconds: delta-seconds, or an HTTP-date relative to `now` (never negative). */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  // Date.parse accepts far more than IMF-fixdate; a day name or GMT is what RFC 9110 dates carry.
  if (Number.isNaN(at) || !/GMT|,/.test(text)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

type Parsed = { ok: true; body: unknown } | { ok: false; code: TransportCode };

function parseBody(text: string, contentType: string): Parsed {
  if (text.trim() === '') return { ok: false, code: ReservedCode.emptyBody };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    const claimsJson = /[/+]json\b/i.test(contentType) || /^\s*[[{]/.test(text);
    return { ok: false, code: claimsJson ? ReservedCode.invalidJson : ReservedCode.notJson };
  }
}

/**
 * An error body as read: its text (at most the byte limit), whether that is only its start, and
 * its parse, made when first asked for. A body can be read once, so the client keeps what was read
 * with the response: the retry decision, the client and `readApiError` share one read and one parse.
 */
interface BodyRead {
  readonly text: string;
  readonly truncated: boolean;
  parsed?: Parsed;
  /** Its envelope and code as decoded for `decodedFor` (`null`: no envelope reads it). */
  decoded?: Decoded | null;
  decodedFor?: string | undefined;
}

const bodyReads = new WeakMap<Response, BodyRead>();

/** The body of `response` as read by the client: read now (consuming it) unless it already was. */
async function readOnce(response: Response, maxBytes: number | undefined): Promise<BodyRead> {
  let read = bodyReads.get(response);
  if (read === undefined) {
    read = await readBodyText(response, maxBytes);
    bodyReads.set(response, read);
  }
  return read;
}

/** The start of a body is not the body: no code is read from it. */
function parsedOf(read: BodyRead, response: Response): Parsed {
  return (read.parsed ??= read.truncated ? { ok: false, code: ReservedCode.bodyTooLarge } : parseBody(read.text, response.headers.get('content-type') ?? ''));
}

type Decoded = { readonly codec: Codec; readonly code: string };

/** The envelope and code of a read body, decoded once per operation: the retry decision and the error share it. */
function decodedOf(contract: ClientContract, read: BodyRead, response: Response, operation: string | undefined): Decoded | undefined {
  if (read.decoded === undefined || read.decodedFor !== operation) {
    const parsed = parsedOf(read, response);
    read.decoded = (parsed.ok ? decode(contract, parsed.body, operation, response.status) : undefined) ?? null;
    read.decodedFor = operation;
  }
  return read.decoded ?? undefined;
}

/**
 * The envelope a body is in and the code it carries: the envelopes of the codes the operation
 * declares under this status are tried first (FastAPI's 422 list), then the others, the default
 * first. A body none of them reads has no code.
 */
function decode(contract: ClientContract, body: unknown, operation: string | undefined, status: number): Decoded | undefined {
  const codecs = contract.codecs ?? [pointerCodec(contract.envelope)];
  let ordered = codecs;
  if (codecs.length > 1) {
    const op = operation !== undefined && Object.hasOwn(contract.operations, operation) ? contract.operations[operation] : undefined;
    const expected = new Set(
      [...Object.entries(op?.rules ?? {}), ...Object.entries(contract.unrouted ?? {})]
        .filter(([, rule]) => rule?.statuses.includes(status))
        .map(([code]) => (Object.hasOwn(contract.catalog, code) ? contract.catalog[code]?.envelope : undefined) ?? 'default'),
    );
    ordered = [...codecs.filter((c) => expected.has(c.name)), ...codecs.filter((c) => !expected.has(c.name))];
  }
  for (const codec of ordered) {
    const code = readCodeWith(codec, body);
    if (code !== undefined) return { codec, code };
  }
  return undefined;
}

/**
 * Does the operation declare `code` with `status`? Its rules already apply OpenAPI's precedence
 * (exact key, then range, then `default`), the same table the server's guard reads. Without an
 * operation, any status the catalog gives the code.
 */
function declares(contract: ClientContract, operation: string | undefined, status: number, code: string): boolean {
  const entry = Object.hasOwn(contract.catalog, code) ? contract.catalog[code] : undefined;
  if (!entry) return false;
  const op = operation !== undefined && Object.hasOwn(contract.operations, operation) ? contract.operations[operation] : undefined;
  if (!op) return entry.status.includes(status);
  // Errors no operation owns come on any call, besides the operation's own.
  const unrouted = contract.unrouted && Object.hasOwn(contract.unrouted, code) ? contract.unrouted[code] : undefined;
  if (unrouted?.statuses.includes(status)) return true;
  const rule = Object.hasOwn(op.rules, code) ? op.rules[code] : undefined;
  return rule?.statuses.includes(status) ?? false;
}

export interface ReadErrorOptions {
  /** The operation name, to check the code against what it declares. */
  operation?: string | undefined;
  /** The body text, when the response body was already read. */
  text?: string;
  /** With `text`: it is only the start of a longer body (`readBodyText` stopped reading). */
  truncated?: boolean;
  /** Bytes of the body read at most when `text` is not given. Default 1 MiB. */
  maxBodyBytes?: number;
  clock?: Pick<Clock, 'now'>;
}

/** Turns an error response into an `ApiError`; never throws on a malformed body. */
export async function readApiError(contract: ClientContract, response: Response, options: ReadErrorOptions = {}): Promise<ApiError> {
  const read: BodyRead = options.text !== undefined ? { text: options.text, truncated: options.truncated ?? false } : await readOnce(response, options.maxBodyBytes);
  return errorOf(contract, response, read, options.operation, (options.clock ?? systemClock).now(), true);
}

/**
 * The `ApiError` of a read error response. `stack: false` skips capturing a stack trace (the
 * costliest part of making an error): the client does so for an error it returns rather than
 * throws, and gives it a stack where it is thrown (`unwrap`).
 */
function errorOf(contract: ClientContract, response: Response, read: BodyRead, operation: string | undefined, now: number, stack: boolean): ApiError {
  const parsed = parsedOf(read, response);
  const body = parsed.ok ? parsed.body : undefined;
  const decoded = decodedOf(contract, read, response, operation);
  const codec = decoded?.codec ?? contract.codecs?.[0] ?? pointerCodec(contract.envelope);
  const headerId = codec.requestIdHeader ? response.headers.get(codec.requestIdHeader) : null;
  const bodyId = headerId === null ? readAt(body, codec.requestIdBody) : undefined;
  const requestId = headerId ?? (typeof bodyId === 'string' || typeof bodyId === 'number' ? String(bodyId) : undefined);
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
  const serverCode = decoded?.code;
  let kind: ErrorKind;
  let code: string;
  let meta: unknown;
  let message: string;
  if (!parsed.ok || serverCode === undefined) {
    kind = 'transport';
    code = parsed.ok ? ReservedCode.notEnvelope : parsed.code;
    message = transportMessage(code as TransportCode, response);
  } else {
    const known = declares(contract, operation, response.status, serverCode);
    meta = readAt(body, codec.meta);
    const broken = known ? metaProblem(contract, operation, response.status, serverCode, meta) : undefined;
    if (broken !== undefined) {
      kind = 'malformed';
      code = ReservedCode.malformedMeta;
      message = `HTTP ${response.status} ${serverCode} with meta that breaks its schema (${broken})`;
    } else {
      const text = readAt(body, codec.message);
      kind = known ? 'contract' : 'unknown';
      code = known ? serverCode : ReservedCode.unknownCode;
      message = typeof text === 'string' ? text : serverCode;
    }
  }
  // One object literal per error, every member in one order (spreading a shared part made V8 copy it member by member).
  const init: ApiErrorInit<number, string, unknown> = { kind, status: response.status, code, message, meta, serverCode, requestId, retryAfter, body, rawBody: read.text, response, operation };
  return stack ? new ApiError(init) : stackless(init);
}

/** An error made without a stack trace: its stack is its `toString()`, `ApiError: <message>`, no frame. */
function stackless(init: ApiErrorInit<number, string, unknown>): ApiError {
  const ErrorWithLimit = Error as { stackTraceLimit?: number | undefined };
  const limit = ErrorWithLimit.stackTraceLimit;
  ErrorWithLimit.stackTraceLimit = 0;
  try {
    return new ApiError(init);
  } finally {
    ErrorWithLimit.stackTraceLimit = limit;
  }
}

/**
 * Gives an error made without a stack the stack of where it is thrown (V8's `captureStackTrace`;
 * elsewhere it keeps none). Told by its stack having no frame, not by a registry of such errors: a
 * WeakSet entry per returned error cost more than the error itself.
 */
function thrown<E>(error: E, at: Function): E {
  if (error instanceof ApiError && error.stack === error.toString()) (Error as { captureStackTrace?: (target: object, at: Function) => void }).captureStackTrace?.(error, at);
  return error;
}

/** Why a declared code's meta is not what its schema (and so its type) says, if it is not. */
function metaProblem(contract: ClientContract, operation: string | undefined, status: number, code: string, meta: unknown): string | undefined {
  const op = operation !== undefined && Object.hasOwn(contract.operations, operation) ? contract.operations[operation] : undefined;
  const own = op && Object.hasOwn(op.rules, code) ? op.rules[code] : undefined;
  const unrouted = contract.unrouted && Object.hasOwn(contract.unrouted, code) ? contract.unrouted[code] : undefined;
  const rule = own?.statuses.includes(status) ? own : unrouted?.statuses.includes(status) ? unrouted : own;
  if (meta === undefined) return rule?.meta === true ? 'missing' : undefined;
  const schema = contract.metaSchemas && Object.hasOwn(contract.metaSchemas, code) ? contract.metaSchemas[code] : undefined;
  return schema === undefined ? undefined : schemaProblem(meta, schema);
}

function transportMessage(code: TransportCode, response: Response): string {
  const what = {
    [ReservedCode.emptyBody]: 'an empty body',
    [ReservedCode.notJson]: `a non-JSON body (${response.headers.get('content-type') ?? 'no content type'})`,
    [ReservedCode.invalidJson]: 'a body that is not valid JSON (truncated?)',
    [ReservedCode.notEnvelope]: 'a JSON body without an error code',
    [ReservedCode.bodyTooLarge]: 'a body larger than the client reads (the rest was left unread)',
  }[code];
  return `HTTP ${response.status} with ${what}`;
}

// ---------------------------------------------------------------------------------------------
// Retries

export interface RetryOptions {
  /** Attempts in total, the first included. Default 3. */
  maxAttempts?: number;
  /** No wait is started that would end later than this after the first attempt began. Default 60 000. */
  maxElapsedMs?: number;
  /** First backoff delay; doubles per attempt. Default 500. */
  baseDelayMs?: number;
  /** Cap of one backoff delay (not of a server's Retry-After). Default 30 000. */
  maxDelayMs?: number;
  /**
   * The longest `Retry-After` honoured, in ms. Default 86 400 000 (a day). A server asking for a
   * longer wait gets no retry: its response is returned at once (its `retryAfter` says how long).
   * Waits are never shortened, and never reach `setTimeout`'s limit (2^31 − 1 ms), beyond which it
   * fires after 1 ms and turns a long Retry-After into a retry storm.
   */
  maxRetryAfterMs?: number;
  /** Bytes of an error body read to decide on a retry. Default 1 MiB (see `maxErrorBodyBytes`). */
  maxErrorBodyBytes?: number;
  /**
   * Retry POST/PATCH too. Off by default: a retried non-idempotent request can apply twice. A request
   * carrying `idempotencyKeyHeader` is retried without this, since the server deduplicates it.
   */
  retryNonIdempotent?: boolean;
  /** Default `Idempotency-Key`. */
  idempotencyKeyHeader?: string;
  /** Retry when fetch itself rejects (connection reset, DNS). Default true. */
  retryNetworkErrors?: boolean;
  clock?: Partial<Clock>;
  /** Called before each wait. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  request: Request;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  reason: 'retry-after' | 'backoff' | 'network';
  response?: Response | undefined;
  error?: unknown;
}

const DEFAULT_MAX_RETRY_AFTER_MS = 86_400_000;
/** The longest delay `setTimeout` keeps; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** RFC 9110 §9.2.2. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export type Fetch = (request: Request) => Promise<Response>;

/**
 * Wraps a fetch with retries. Each attempt sends a clone of the original request, so bodies are
 * re-sent intact (a `Request` body can be read once). What is retried:
 * - codes the catalog marks `after` (Retry-After when sent, else backoff) or `backoff`; a code
 *   marked `none` is never retried, even on a 429 with Retry-After;
 * - without a catalog code: 429 and 503 carrying `Retry-After` (seconds or HTTP-date) after exactly
 *   that long; 502/503/504 with backoff; rejected fetches: backoff.
 * Backoff is `min(maxDelayMs, baseDelayMs · 2^(attempt-1))`, with equal jitter (half fixed, half random).
 */
export function withRetry(fetch: Fetch, contract: ClientContract, options: RetryOptions = {}): Fetch {
  const policy = retryPolicy(contract, options);
  // The response is handed on with its body unread: a decision reads a copy (a tee), and the last
  // attempt's response is not read at all.
  const read = (response: Response, last: boolean) => (last || response.status < 400 ? undefined : readBodyText(response.clone(), options.maxErrorBodyBytes));
  return (request) => sendRetrying(policy, fetch, request, read, undefined);
}

/** The wait before the next attempt, and why. */
interface Wait {
  readonly delay: number;
  readonly reason: RetryEvent['reason'];
}

/** Retry options resolved once (per client or `withRetry`), and the decision they make. */
interface RetryPolicy {
  readonly contract: ClientContract;
  readonly options: RetryOptions;
  readonly clock: Clock;
  readonly maxAttempts: number;
  readonly maxElapsed: number;
  readonly base: number;
  readonly cap: number;
  readonly keyHeader: string;
  readonly maxRetryAfter: number;
}

function retryPolicy(contract: ClientContract, options: RetryOptions): RetryPolicy {
  return {
    contract,
    options,
    clock: { ...systemClock, ...options.clock },
    maxAttempts: options.maxAttempts ?? 3,
    maxElapsed: options.maxElapsedMs ?? 60_000,
    base: options.baseDelayMs ?? 500,
    cap: options.maxDelayMs ?? 30_000,
    keyHeader: options.idempotencyKeyHeader ?? 'Idempotency-Key',
    maxRetryAfter: Math.min(options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS, MAX_TIMER_MS),
  };
}

/** Whether `request` may be sent more than once at all. */
function mayRetry(policy: RetryPolicy, request: Request): boolean {
  if (policy.maxAttempts <= 1) return false;
  return IDEMPOTENT.has(request.method.toUpperCase()) || policy.options.retryNonIdempotent === true || request.headers.has(policy.keyHeader);
}

function backoff(policy: RetryPolicy, attempt: number): Wait {
  const ceiling = Math.min(policy.cap, policy.base * 2 ** (attempt - 1));
  return { delay: Math.round(ceiling / 2 + (ceiling / 2) * policy.clock.random()), reason: 'backoff' };
}

/**
 * Whether to send again after `response`, decided synchronously from its status, its
 * `Retry-After` and its body as read (`read`, for an error status). A catalog code's policy is
 * the contract's word, whatever the status: `retry: none` holds on a 429 too, and `after` without
 * the header falls back to backoff.
 */
function decide(policy: RetryPolicy, response: Response, read: BodyRead | undefined, operation: string | undefined, attempt: number): Wait | undefined {
  if (response.status < 400) return undefined;
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), policy.clock.now());
  // Too long a wait is the server saying "not now": no retry rather than an early one.
  const afterWait: Wait | null | undefined = retryAfter === undefined ? undefined : retryAfter * 1000 <= policy.maxRetryAfter ? { delay: retryAfter * 1000, reason: 'retry-after' } : null;
  const code = read === undefined ? undefined : decodedOf(policy.contract, read, response, operation)?.code;
  const catalog = policy.contract.catalog;
  const retry = code !== undefined && Object.hasOwn(catalog, code) ? catalog[code]!.retry : undefined;
  if (retry !== undefined) {
    if (retry === 'after' && afterWait !== undefined) return afterWait ?? undefined;
    if (retry === 'after' || retry === 'backoff') return backoff(policy, attempt);
    return undefined;
  }
  // No catalog code (a proxy's page, a newer server's code): the status and its header decide.
  const status = response.status;
  if ((status === 429 || status === 503) && afterWait !== undefined) return afterWait ?? undefined;
  if (status === 502 || status === 503 || status === 504) return backoff(policy, attempt);
  return undefined;
}

/**
 * Reads what a decision needs of an error response (`last`: no decision follows), or nothing.
 * `withRetry` reads a copy and leaves the response unread; the errata client reads the response
 * itself, once, when nothing else will (`readOnce`).
 */
type ReadForDecision = (response: Response, last: boolean) => Promise<BodyRead> | undefined;

/**
 * Sends `request`, again while `decide` says so. Each attempt but the last sends a clone: the
 * original stays unread as the template for the next one. An error response's body is read (by
 * `read`) before deciding, and the decision itself is synchronous: a response no retry applies to
 * costs no step beyond its read.
 */
async function sendRetrying(
  policy: RetryPolicy,
  fetch: Fetch,
  request: Request,
  read: ReadForDecision,
  operation: string | undefined,
  handOn?: (response: Response, read: BodyRead | undefined) => Response | Promise<Response>,
): Promise<Response> {
  const { clock, maxElapsed, options } = policy;
  // A request that may not be retried is the loop's last attempt from the start.
  const attempts = mayRetry(policy, request) ? policy.maxAttempts : 1;
  const done = handOn ?? ((response: Response) => response);
  const start = clock.now();
  for (let attempt = 1; ; attempt++) {
    if (request.signal?.aborted) throw request.signal.reason;
    const last = attempt >= attempts;
    // A request without a body has nothing to read, so it is sent as it is (a clone per call showed in profiles).
    const sending = last || request.body === null ? request : request.clone();
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await fetch(sending);
    } catch (error) {
      if (last || request.signal?.aborted || options.retryNetworkErrors === false) throw error;
      failure = error;
    }
    const reading = response !== undefined && !response.ok ? read(response, last) : undefined;
    const body = reading === undefined ? undefined : await reading;
    if (last) return done(response!, body);
    const next: Wait | undefined = response ? decide(policy, response, body, operation, attempt) : { delay: backoff(policy, attempt).delay, reason: 'network' };
    if (!next || clock.now() - start + next.delay > maxElapsed) {
      if (response) return done(response, body);
      throw failure;
    }
    options.onRetry?.({ request, attempt, delayMs: next.delay, reason: next.reason, response, error: failure });
    // Release the connection of the response we are discarding (one read by the client has none left).
    if (response?.body && !response.bodyUsed) await response.body.cancel().catch(() => undefined);
    await clock.sleep(next.delay, request.signal);
  }
}

// ---------------------------------------------------------------------------------------------
// The client

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

export type ErrataResult<Data, Err> = { data: Data; error?: undefined; response: Response } | { data?: undefined; error: Err; response: Response };

type SuccessData<R> = R extends { data: infer D; error?: never } ? D : never;

type OperationAt<T extends ContractTypes, Path, M> = Path extends string ? (M extends string ? Of<T['index'], `${M} ${Path}`> : never) : never;
type Of<T, K> = K extends keyof T ? T[K] : never;

/** The error type of a call to `path` with `method`. */
export type ErrorAt<T extends ContractTypes, Path, M> =
  | ([OperationAt<T, Path, M>] extends [infer Op extends keyof T['errors']] ? ApiErrorFor<T['errors'][Op], T['meta']> : ApiErrorFor<{}, T['meta']>)
  | ContractErrors<Of<T, 'unrouted'>, T['meta']>;

// openapi-fetch's own (unexported) InitParam: the init argument is optional unless something in it is required.
type RequiredKeysHelper<T> = { [K in keyof T]: {} extends Pick<T, K> ? never : K }[keyof T];
type RequiredKeys<T> = RequiredKeysHelper<T> extends undefined ? never : RequiredKeysHelper<T>;
type InitArgs<Init> = RequiredKeys<Init> extends never ? [(Init & { [key: string]: unknown })?] : [Init & { [key: string]: unknown }];

/** openapi-typescript's `paths` is an interface (no index signature), so it is indexed through conditionals. */
type Paths = {};
type OperationType<P, Path, M> = Path extends keyof P ? (M extends keyof P[Path] ? P[Path][M] : never) : never;
type PathsWith<P, M extends HttpMethod> = { [Path in keyof P]: P[Path] extends { [K in M]: any } ? Path : never }[keyof P];
type Media = `${string}/${string}`;
type Success<P, Path, M extends HttpMethod, Init> = SuccessData<FetchResponse<OperationType<P, Path, M> & Record<string | number, any>, Init, Media>>;

type Method<P extends Paths, M extends HttpMethod, T extends ContractTypes, Throw extends boolean> = <
  Path extends PathsWith<P, M>,
  Init extends MaybeOptionalInit<Record<M, OperationType<P, Path, M>>, M>,
>(
  url: Path,
  ...init: InitArgs<Init>
) => Promise<Throw extends true ? { data: Success<P, Path, M, Init>; response: Response } : ErrataResult<Success<P, Path, M, Init>, ErrorAt<T, Path, M>>>;

export interface ErrataClient<P extends Paths, T extends ContractTypes, Throw extends boolean = false> {
  GET: Method<P, 'get', T, Throw>;
  PUT: Method<P, 'put', T, Throw>;
  POST: Method<P, 'post', T, Throw>;
  DELETE: Method<P, 'delete', T, Throw>;
  OPTIONS: Method<P, 'options', T, Throw>;
  HEAD: Method<P, 'head', T, Throw>;
  PATCH: Method<P, 'patch', T, Throw>;
  TRACE: Method<P, 'trace', T, Throw>;
  /** openapi-fetch middleware (auth headers, logging); runs inside retries' view of the request. */
  use: FetchClient<P>['use'];
  eject: FetchClient<P>['eject'];
  /** The underlying openapi-fetch client, untouched error typing. */
  raw: FetchClient<P>;
}

/** openapi-fetch's options (baseUrl, headers, serializers, any RequestInit), plus errata's. */
export interface ErrataClientOptions<Throw extends boolean = boolean> extends Omit<FetchClientOptions, 'fetch'> {
  /** The transport retries wrap. Default `globalThis.fetch`. */
  fetch?: Fetch;
  /** Retries (on by default for idempotent requests); `false` turns them off. */
  retry?: RetryOptions | false;
  /** Throw `ApiError` instead of returning `{ error }`; calls then resolve to `{ data, response }`. */
  throwOnError?: Throw;
  /** Injected time for `Retry-After` dates and retry waits (tests). */
  clock?: Partial<Clock>;
  /**
   * Bytes of an error body read at most. Default 1 MiB. The rest is left unread (the stream is
   * cancelled) and the call returns an `ApiError` with code `errata:body_too_large`.
   */
  maxErrorBodyBytes?: number;
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

export function createErrataClient<P extends Paths, T extends ContractTypes, Throw extends boolean = false>(
  contract: ClientContract,
  options: ErrataClientOptions<Throw> = {},
): ErrataClient<P, T, Throw> {
  const { retry, throwOnError, clock: clockOption, fetch: baseFetch, maxErrorBodyBytes = DEFAULT_MAX_ERROR_BODY_BYTES, ...rest } = options;
  const clock: Clock = { ...systemClock, ...clockOption };
  const transport: Fetch = baseFetch ?? ((request) => globalThis.fetch(request));
  const retryOptions: RetryOptions | undefined = retry === false ? undefined : { maxErrorBodyBytes, ...retry, clock: { ...clock, ...retry?.clock } };
  // Retries off are one attempt: the client's own calls take one path either way.
  const policy = retryPolicy(contract, retryOptions ?? { maxAttempts: 1, clock });
  // `shared` (the raw client's) and `teeing` hand a response on with its body unread, as
  // `withRetry` does; they are two functions only so that the middleware below tells this client's
  // calls (`teeing`) from raw ones by openapi-fetch's `options.fetch`.
  const shared: Fetch = retryOptions ? withRetry(transport, contract, retryOptions) : (request) => transport(request);
  const teeing: Fetch = (request) => shared(request);
  const raw = createFetchClient<P>({ ...rest, fetch: shared as NonNullable<FetchClientOptions['fetch']> });
  // The client's own calls, whose error bodies nothing else reads (no onResponse middleware, no
  // onRetry, no fetch of the caller's), go through a second openapi-fetch client that has no
  // middleware of errata's: their fetch reads an error body once (the retry decision and the
  // error share it) and hands openapi-fetch the stand-in, so openapi-fetch takes the path it takes
  // for plain calls (a middleware costs it an id, an options object and a step per hook).
  const direct = createFetchClient<P>(rest);
  // Kept with the response (`readOnce`), so `readApiError` on an error's response reuses the read.
  const readOwn: ReadForDecision = (response) => readOnce(response, maxErrorBodyBytes);

  // openapi-fetch reads a whole error body itself and keeps only a parse or the text. Here at most
  // `maxErrorBodyBytes` of it are read, once, and the exact text kept (to tell empty, HTML and
  // truncated bodies apart). Registered first, so its onResponse runs last. A call of this client
  // hands openapi-fetch a stand-in with nothing to read and keeps the response as fetched; a raw
  // call's openapi-fetch reads a copy holding just the text read.
  const answered = new WeakMap<Response, { response: Response; read: BodyRead }>();
  raw.use({
    async onResponse({ response, options: used }) {
      if (response.ok || response === STAND_IN) return undefined;
      const read = await readOnce(response, maxErrorBodyBytes);
      if ((used.fetch as unknown) === teeing) {
        const standIn = new Response(null, { status: response.status, headers: NOTHING_TO_READ });
        answered.set(standIn, { response, read });
        return standIn;
      }
      const copy = holding(response, read.text);
      answered.set(copy, { response: copy, read });
      return copy;
    },
  });

  // The middleware the caller adds (through `use`, also `raw.use`) runs on both clients; one with
  // onResponse may read an error body, so calls then go through `raw`.
  const added: Middleware[] = [];
  let readers = 0;
  const { use: rawUse, eject: rawEject } = raw;
  raw.use = (...middleware) => {
    rawUse(...middleware);
    direct.use(...middleware);
    for (const m of middleware) {
      if (!m) continue;
      added.push(m);
      if (readsResponses(m)) readers++;
    }
  };
  raw.eject = (...middleware) => {
    rawEject(...middleware);
    direct.eject(...middleware);
    for (const m of middleware) {
      const i = added.indexOf(m as Middleware);
      if (i === -1) continue;
      added.splice(i, 1);
      if (readsResponses(m)) readers--;
    }
  };
  const onRetry = retryOptions?.onRetry !== undefined;

  const requestIdHeader = (contract.codecs?.[0] ?? pointerCodec(contract.envelope)).requestIdHeader;
  // Per method, the operation at each path template.
  const index = new Map<string, Map<string, string>>(METHODS.map((m) => [m, new Map()]));
  for (const [name, op] of Object.entries(contract.operations)) index.get(op.method.toUpperCase())?.set(op.path, name);

  const client = { use: raw.use, eject: raw.eject, raw } as Record<string, unknown>;
  for (const method of METHODS) {
    const operations = index.get(method)!;
    const viaRaw = raw[method] as (u: string, i?: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const viaDirect = direct[method] as typeof viaRaw;
    client[method] = async (url: string, init?: { middleware?: unknown[]; parseAs?: string; fetch?: unknown }) => {
      const operation = operations.get(url);
      const parseAs = init?.parseAs ?? 'json';
      // A success body openapi-fetch parses as JSON is kept as text on the way, so one that does not
      // parse becomes an ApiError holding it, not a bare SyntaxError from deep inside the call.
      let success: KeptText | undefined;
      const keepSuccess = (response: Response): Response | Promise<Response> => {
        if (parseAs !== 'json' || response.status === 204 || method === 'HEAD') return response;
        return keepText(response).then((kept) => (success = kept).response);
      };
      // An error response of a call of the client's own: kept here as fetched, its body read by the
      // client; openapi-fetch gets the stand-in (allocated once, never read).
      let failed: { response: Response; read: BodyRead } | undefined;
      let result: { data?: unknown; error?: unknown; response: Response };
      try {
        if (init?.fetch === undefined && !onRetry && readers === 0 && !(init?.middleware?.some(readsResponses) ?? false)) {
          const handOn = (response: Response, read: BodyRead | undefined): Response | Promise<Response> => {
            if (response.ok) return keepSuccess(response);
            failed = { response, read: read! };
            return STAND_IN;
          };
          result = await viaDirect(url, withFetch(init, (request: Request) => sendRetrying(policy, transport, request, readOwn, operation, handOn)));
        } else {
          // Someone else may read the body: it reaches them whole, and errata's middleware on `raw`
          // reads it after them. A fetch the caller passes for one call is used as it is (openapi-fetch's rule).
          const keepSuccessText = { onResponse: ({ response }: { response: Response }) => (response.ok ? keepSuccess(response) : undefined) };
          result = await viaRaw(url, { ...init, fetch: init?.fetch ?? teeing, middleware: [...(init?.middleware ?? []), keepSuccessText] });
        }
      } catch (thrown) {
        if (!(thrown instanceof SyntaxError) || success === undefined) throw thrown;
        const { text, response } = success;
        const error = new ApiError({
          kind: 'malformed',
          status: response.status,
          code: ReservedCode.malformedSuccess,
          message: `HTTP ${response.status} with a body that is not valid JSON (${response.headers.get('content-type') ?? 'no content type'})`,
          meta: undefined,
          serverCode: undefined,
          requestId: requestIdHeader ? (response.headers.get(requestIdHeader) ?? undefined) : undefined,
          retryAfter: undefined,
          body: undefined,
          rawBody: text,
          response,
          operation,
        });
        if (throwOnError) throw error;
        return { error, response };
      }
      if (result.response.ok) return throwOnError ? { data: result.data, response: result.response } : result;
      const answer = failed ?? answered.get(result.response);
      const response = answer?.response ?? result.response;
      const read = answer?.read ?? { text: fallbackText(result.error), truncated: false };
      // A returned error gets no stack trace (`unwrap` gives it the stack of where it throws it).
      const error = errorOf(contract, response, read, operation, clock.now(), throwOnError === true);
      if (throwOnError) throw error;
      return { error, response };
    };
  }
  return client as unknown as ErrataClient<P, T, Throw>;
}

/**
 * `{ ...init, fetch }`, built so that V8 keeps it a fast object: a member added after a spread
 * made it cost over a microsecond per call.
 */
function withFetch<I extends object>(init: I | undefined, fetch: Fetch): I & { fetch: Fetch } {
  const call = { fetch, ...init } as I & { fetch: Fetch };
  call.fetch = fetch;
  return call;
}

interface KeptText {
  readonly text: string;
  /** What openapi-fetch parses: a copy holding the text, with the URL the response was fetched from. */
  readonly response: Response;
}

async function keepText(response: Response): Promise<KeptText> {
  const text = await response.text();
  return { text, response: holding(response, text) };
}

/** A copy of `response` whose body is `text`, for openapi-fetch to read in its place. */
function holding(response: Response, text: string): Response {
  const copy = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  // A constructed Response has no URL; the caller's response keeps the one it was fetched from.
  Object.defineProperties(copy, { url: { value: response.url }, redirected: { value: response.redirected } });
  return copy;
}

/** What openapi-fetch reads no body from (a `Content-Length: 0` response). */
const NOTHING_TO_READ: HeadersInit = { 'content-length': '0' };
/** An error response with nothing to read, shared: what openapi-fetch gets for an error the client reads itself. */
const STAND_IN = new Response(null, { status: 500, headers: NOTHING_TO_READ });

function readsResponses(middleware: unknown): boolean {
  return typeof (middleware as { onResponse?: unknown } | null | undefined)?.onResponse === 'function';
}

function fallbackText(error: unknown): string {
  if (error === undefined) return '';
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** `{ data, error }` to data, throwing the error: for one throwing call in a non-throwing client. */
export async function unwrap<D, E>(result: Promise<ErrataResult<D, E>> | ErrataResult<D, E>): Promise<D> {
  const r = await result;
  if (r.error !== undefined) throw thrown(r.error, unwrap);
  return r.data as D;
}
