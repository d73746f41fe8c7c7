// Copied by errata from runtime/server.ts. Do not edit.
/**
 * Server-side error responses for an errata contract. Framework-neutral: every builder returns a
 * plain `{ status, headers, body }`, which `toResponse` turns into a Web `Response` and `send`
 * writes to a Node `http.ServerResponse`. The generated `server.ts` supplies the contract tables
 * and the per-operation input types; this file holds no spec strings.
 */

/** Seconds to wait, or the moment the client may retry. Sent as delta-seconds (RFC 9110 §10.2.3). */
export type RetryAfter = number | Date;

/** Anything with request headers: a Web `Request`, Node's `IncomingMessage`, a plain object. */
export interface RequestLike {
  headers: Headers | Record<string, string | string[] | undefined>;
}

/** Options every error builder accepts, whatever the code. */
export interface ErrorOptions {
  /** Overrides the catalog description as the human-readable message. */
  message?: string;
  /** The request id to echo; otherwise taken from `request`, otherwise generated. */
  requestId?: string;
  request?: RequestLike;
  /** Extra response headers (e.g. `WWW-Authenticate`). */
  headers?: Record<string, string>;
}

/** A response as data (what every builder returns and every adapter sends). Header names are lower-case. */
export interface HttpResult<Body = unknown> {
  status: number;
  headers: Record<string, string>;
  body: Body;
}

export interface ErrorResult<Code extends string = string, Body = Record<string, unknown>> extends HttpResult<Body> {
  code: Code;
  requestId: string;
}

/** What one operation allows for one code: the statuses it may be sent with, and whether `meta` and Retry-After are required. */
export interface CodeRule {
  readonly statuses: readonly number[];
  readonly meta: boolean;
  readonly retryAfter: boolean;
}

/** The contract tables the generated `server.ts` passes in. */
export interface ServerContract {
  readonly envelope: {
    readonly mediaType: string;
    readonly code: readonly string[];
    readonly message: readonly string[];
    readonly meta: readonly string[] | undefined;
    readonly requestIdHeader: string | undefined;
    readonly requestIdBody: readonly string[] | undefined;
  };
  readonly catalog: Readonly<Record<string, { readonly status: readonly number[]; readonly description: string; readonly retry: string; readonly metaRequired: boolean }>>;
  /** Per operation, per status key (`404`, `4XX`, `default`), the codes it declares. */
  readonly operations: Readonly<Record<string, { readonly errors: Readonly<Record<string, readonly string[]>> }>>;
  /** Per operation, the status keys whose response declares a Retry-After header. */
  readonly retryAfterResponses: Readonly<Record<string, readonly string[]>>;
  /** Members every error body carries (constants, defaults), before code/message/meta are set. */
  readonly base: unknown;
  /** Members that repeat the HTTP status and its reason phrase (RFC 9457 `status`, `title`). */
  readonly statusMember: readonly string[] | undefined;
  readonly titleMember: readonly string[] | undefined;
  /** The code unexpected exceptions become: the catalog's 500 code. */
  readonly internalCode: string | undefined;
}

/**
 * The contract's types the generated `server.ts` passes in. Builder inputs are derived from them
 * per operation, only where a builder is used: spelling out every operation's input union made
 * type-checking a large contract's `generated/` cost more than its whole `openapi.ts`.
 */
export interface ServerTypes {
  /** Per operation, per status key, the codes it declares (`OperationErrors`). */
  errors: object;
  /** Per code, its `meta` type. */
  meta: object;
  /** Per code, the statuses the catalog gives it (a union of numbers). */
  statuses: object;
  /** Codes whose `meta` is required. */
  metaRequired: string;
  /** Codes that always need Retry-After (`retry: after`). */
  retryAfterCodes: string;
  /** Per operation, the status keys whose response declares a Retry-After header. */
  retryAfterResponses: object;
}

type Of<T, K> = K extends keyof T ? T[K] : never;
/** The status keys of an operation's `errors` that list `C`. */
type KeysOf<E, C> = { [K in keyof E]: C extends E[K] ? K : never }[keyof E];
/** The numbers a status key stands for: itself, or the code's catalog statuses `S` that a range (`4XX`) or `default` admits. */
type StatusesOfKey<K, S> = K extends `${infer N extends number}`
  ? N
  : K extends `${infer D}${'XX' | 'xx'}`
    ? S extends number
      ? `${S}` extends `${D}${string}`
        ? S
        : never
      : never
    : K extends 'default'
      ? S
      : never;
type IsOne<T, U = T> = [T] extends [never] ? false : T extends unknown ? ([U] extends [T] ? true : false) : never;
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** Retry-After is required for `retry: after` codes, every 429, and responses that declare the header. */
type NeedsRetryAfter<T extends ServerTypes, Op, C, K, S> = C extends T['retryAfterCodes']
  ? true
  : 429 extends S
    ? true
    : [Extract<K, Of<T['retryAfterResponses'], Op>>] extends [never]
      ? false
      : true;

/** One member of `Op`'s input: code `C`, declared under the status keys `K`, which stand for the statuses `S`. */
type InputFor<T extends ServerTypes, Op, C, K = KeysOf<Of<T['errors'], Op>, C>, S = StatusesOfKey<K, Of<T['statuses'], C>>> = Flat<
  { code: C } &
    (IsOne<S> extends true ? { status?: S } : { status: S }) &
    (C extends T['metaRequired'] ? { meta: Of<T['meta'], C> } : { meta?: Of<T['meta'], C> }) &
    (NeedsRetryAfter<T, Op, C, K, S> extends true ? { retryAfter: RetryAfter } : { retryAfter?: RetryAfter }) &
    ErrorOptions
>;

/** What `Op`'s builder accepts: one member per code it declares, with that code's status, `meta` and Retry-After rules. */
export type ErrorInput<T extends ServerTypes, Op> = Of<T['errors'], Op> extends infer E ? (E[keyof E] extends infer C ? (C extends string ? InputFor<T, Op, C> : never) : never) : never;

/** Every operation's builder input. */
export type ErrorInputs<T extends ServerTypes> = { [Op in keyof T['errors']]: ErrorInput<T, Op> };

/** The numbers a status key stands for at run time: the mirror of `StatusesOfKey`. */
function statusesOfKey(key: string, catalogStatuses: readonly number[]): number[] {
  if (/^\d{3}$/.test(key)) return [Number(key)];
  if (/^[1-5]XX$/i.test(key)) return catalogStatuses.filter((s) => String(s)[0] === key[0]);
  return key === 'default' ? [...catalogStatuses] : [];
}

/** Per operation, per declared code, its rule: the run-time mirror of `ErrorInput`. */
export function operationRules(contract: ServerContract): Record<string, Record<string, CodeRule>> {
  const out: Record<string, Record<string, CodeRule>> = {};
  for (const [operation, { errors }] of Object.entries(contract.operations)) {
    const withHeader = contract.retryAfterResponses[operation] ?? [];
    const rules: Record<string, CodeRule> = {};
    for (const [key, codes] of Object.entries(errors)) {
      for (const code of codes) {
        const entry = contract.catalog[code];
        if (!entry) continue;
        const statuses = [...new Set([...(rules[code]?.statuses ?? []), ...statusesOfKey(key, entry.status)])].sort((a, b) => a - b);
        rules[code] = {
          statuses,
          meta: contract.envelope.meta !== undefined && entry.metaRequired,
          retryAfter: (rules[code]?.retryAfter ?? false) || entry.retry === 'after' || statuses.includes(429) || withHeader.includes(key),
        };
      }
    }
    out[operation] = rules;
  }
  return out;
}

export interface ServerOptions {
  /**
   * Check every outgoing error against its operation's declaration at run time and throw a
   * `ContractViolation` naming operation, code and status. Catches what types cannot see
   * (JavaScript callers, `as any`). Default: on unless `NODE_ENV` is `production`.
   */
  guard?: boolean;
  /** The code unexpected exceptions become. Default: the catalog's 500 code. */
  internalCode?: string;
  /** Incoming header to take the request id from. Default: the envelope's header, else `x-request-id`. */
  requestIdHeader?: string;
  generateRequestId?: () => string;
  /** Called with every unexpected exception (the client only sees the internal error). Default: console.error. */
  onUnexpected?: (error: unknown, info: { requestId: string }) => void;
}

/** An outgoing error that its operation does not declare. Thrown by the guard. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    readonly operation: string,
    readonly code: string,
    readonly status: number | undefined,
    reason: string,
  ) {
    super(`errata guard: ${operation} cannot return ${code}${status === undefined ? '' : ` with status ${status}`}: ${reason}`);
  }
}

type Builders<Inputs, Bodies> = {
  [Op in keyof Inputs]: (input: Inputs[Op]) => ErrorResult<CodeOf<Inputs[Op]>, BodyOf<Bodies, CodeOf<Inputs[Op]>>>;
};
type CodeOf<I> = I extends { code: infer C extends string } ? C : never;
type BodyOf<Bodies, C> = C extends keyof Bodies ? Bodies[C] : Record<string, unknown>;

/** One request: its id and builders that reuse it, so every response of the request carries the same id. */
export interface RequestScope<Inputs, Bodies> {
  readonly requestId: string;
  readonly errors: Builders<Inputs, Bodies>;
  /** The request id header (when the envelope has one) plus `extra`: for responses built by hand. */
  headers(extra?: Record<string, string>): Record<string, string>;
  /** A success response with a JSON body and the request id header. */
  json<B>(status: number, body: B, headers?: Record<string, string>): HttpResult<B>;
  /** A success response with a text body (e.g. a playlist) and the request id header. */
  text(status: number, text: string, contentType?: string, headers?: Record<string, string>): HttpResult<string>;
  /** The internal error for an unexpected exception: no message or stack from `error` leaves. */
  internal(error?: unknown): ErrorResult;
}

export interface ServerErrors<Inputs, Bodies> {
  /** Per operation, a builder that accepts only that operation's codes. */
  readonly errors: Builders<Inputs, Bodies>;
  /** The request id to use for `request`: its incoming header when well-formed, else a new one. */
  requestId(request?: RequestLike): string;
  forRequest(request?: RequestLike): RequestScope<Inputs, Bodies>;
  internal(error?: unknown, options?: { request?: RequestLike; requestId?: string }): ErrorResult;
  /** Wraps a fetch-style handler: thrown exceptions become the internal error. */
  fetch(handler: (request: Request, scope: RequestScope<Inputs, Bodies>) => Response | HttpResult | Promise<Response | HttpResult>): (request: Request) => Promise<Response>;
  /** Wraps a Node `http` handler: thrown exceptions become the internal error; a returned result is sent. */
  node<Req extends RequestLike, Res extends NodeResponse>(
    handler: (req: Req, res: Res, scope: RequestScope<Inputs, Bodies>) => HttpResult | void | Promise<HttpResult | void>,
  ): (req: Req, res: Res) => Promise<void>;
}

/** The part of Node's `http.ServerResponse` that `send` uses (kept structural: no Node types needed). */
export interface NodeResponse {
  headersSent: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
  destroy(error?: Error): unknown;
}

const REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

export function createServerErrors<Inputs, Bodies = Record<string, never>>(
  contract: ServerContract,
  options: ServerOptions = {},
): ServerErrors<Inputs, Bodies> {
  const env = contract.envelope;
  // Read through globalThis so the file compiles and runs where there is no `process` (workers, Deno).
  const nodeEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NODE_ENV;
  const guard = options.guard ?? nodeEnv !== 'production';
  const incomingHeader = (options.requestIdHeader ?? env.requestIdHeader ?? 'x-request-id').toLowerCase();
  const newId = options.generateRequestId ?? (() => `req_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`);
  const internalCode = options.internalCode ?? contract.internalCode;
  const onUnexpected = options.onUnexpected ?? ((error, info) => console.error(`[errata] unexpected error in request ${info.requestId}:`, error));
  const table = operationRules(contract);

  function requestId(request?: RequestLike): string {
    const raw = request ? headerOf(request, incomingHeader) : undefined;
    // An id a client sent is echoed into headers and logs, so only a plain token is trusted.
    return raw !== undefined && REQUEST_ID.test(raw) ? raw : newId();
  }

  function baseHeaders(id: string): Record<string, string> {
    return env.requestIdHeader ? { [env.requestIdHeader.toLowerCase()]: id } : {};
  }

  function build(code: string, status: number, input: Record<string, unknown>, id: string): ErrorResult {
    const body = structuredClone(contract.base ?? {}) as Record<string, unknown>;
    setAt(body, env.code, code);
    setAt(body, env.message, typeof input.message === 'string' ? input.message : (contract.catalog[code]?.description ?? code));
    if (env.meta && input.meta !== undefined) setAt(body, env.meta, input.meta);
    if (env.requestIdBody) setAt(body, env.requestIdBody, id);
    if (contract.statusMember) setAt(body, contract.statusMember, status);
    if (contract.titleMember) setAt(body, contract.titleMember, REASON[status] ?? `HTTP ${status}`);
    const headers: Record<string, string> = { 'content-type': env.mediaType, ...baseHeaders(id) };
    if (input.retryAfter !== undefined) headers['retry-after'] = String(retrySeconds(input.retryAfter as RetryAfter));
    for (const [k, v] of Object.entries((input.headers as Record<string, string> | undefined) ?? {})) headers[k.toLowerCase()] = v;
    return { status, headers, body, code, requestId: id };
  }

  function check(operation: string, input: Record<string, unknown>): number {
    const code = String(input.code);
    const rules = table[operation];
    const rule = rules && Object.hasOwn(rules, code) ? rules[code] : undefined;
    const status = typeof input.status === 'number' ? input.status : undefined;
    if (!rule) {
      if (guard) throw new ContractViolation(operation, code, status, `the operation declares ${Object.keys(rules ?? {}).join(', ') || 'no codes'}`);
      return status ?? contract.catalog[code]?.status[0] ?? 500;
    }
    if (guard) {
      const fail = (reason: string) => {
        throw new ContractViolation(operation, code, status, reason);
      };
      if (status === undefined && rule.statuses.length > 1) fail(`the code is declared under ${rule.statuses.join(' and ')}; pass \`status\``);
      if (status !== undefined && !rule.statuses.includes(status)) fail(`the operation declares it under ${rule.statuses.join(', ')} only`);
      if (rule.meta && (typeof input.meta !== 'object' || input.meta === null || Array.isArray(input.meta))) fail('its `meta` is required and must be an object');
      if (input.meta !== undefined && !env.meta) fail('the envelope has no place for `meta`');
      if (rule.retryAfter && input.retryAfter === undefined) fail('the response requires a Retry-After header; pass `retryAfter`');
      if (input.retryAfter !== undefined && !Number.isFinite(retrySecondsRaw(input.retryAfter as RetryAfter))) fail('`retryAfter` must be a number of seconds or a valid Date');
    }
    return status ?? rule.statuses[0]!;
  }

  function builders(bound?: () => string): Builders<Inputs, Bodies> {
    const out: Record<string, (input: Record<string, unknown>) => ErrorResult> = {};
    for (const operation of Object.keys(table)) {
      out[operation] = (input) => {
        const status = check(operation, input);
        const id = typeof input.requestId === 'string' ? input.requestId : input.request ? requestId(input.request as RequestLike) : bound ? bound() : newId();
        return build(String(input.code), status, input, id);
      };
    }
    return out as unknown as Builders<Inputs, Bodies>;
  }

  function internal(error?: unknown, opts: { request?: RequestLike; requestId?: string } = {}): ErrorResult {
    const id = opts.requestId ?? requestId(opts.request);
    if (error !== undefined) onUnexpected(error, { requestId: id });
    const code = internalCode ?? 'INTERNAL';
    // The message is always the catalog's: an exception's message can hold secrets or internals.
    return build(code, 500, {}, id);
  }

  function forRequest(request?: RequestLike): RequestScope<Inputs, Bodies> {
    const id = requestId(request);
    return {
      requestId: id,
      errors: builders(() => id),
      headers: (extra = {}) => ({ ...baseHeaders(id), ...lower(extra) }),
      json: (status, body, headers = {}) => ({ status, headers: { 'content-type': 'application/json', ...baseHeaders(id), ...lower(headers) }, body }),
      text: (status, text, contentType = 'text/plain; charset=utf-8', headers = {}) => ({ status, headers: { 'content-type': contentType, ...baseHeaders(id), ...lower(headers) }, body: text }),
      internal: (error) => internal(error, { requestId: id }),
    };
  }

  const errors = builders();
  return {
    errors,
    requestId,
    forRequest,
    internal,
    fetch: (handler) => async (request) => {
      const scope = forRequest(request);
      try {
        const out = await handler(request, scope);
        if (!(out instanceof Response)) return toResponse(out);
        for (const [name, value] of Object.entries(scope.headers())) {
          // A Response from fetch() has immutable headers; it then keeps its own.
          if (!out.headers.has(name)) {
            try {
              out.headers.set(name, value);
            } catch {}
          }
        }
        return out;
      } catch (error) {
        return toResponse(scope.internal(error));
      }
    },
    node: (handler) => async (req, res) => {
      const scope = forRequest(req);
      try {
        const out = await handler(req, res, scope);
        if (out) send(res, out);
      } catch (error) {
        const result = scope.internal(error);
        // Once a status line is out there is no honest way to turn it into an error: cut the connection.
        if (res.headersSent) res.destroy();
        else send(res, result);
      }
    },
  };
}

/** A Web `Response` for a result. */
export function toResponse(result: HttpResult): Response {
  return new Response(serialize(result) ?? null, { status: result.status, headers: result.headers });
}

/** Writes a result to Node's `http.ServerResponse` (or anything shaped like it). */
export function send(res: NodeResponse, result: HttpResult): void {
  const text = serialize(result);
  const headers = { ...result.headers };
  headers['content-length'] = String(text === undefined ? 0 : new TextEncoder().encode(text).byteLength);
  res.writeHead(result.status, headers);
  res.end(text);
}

/** The body as its content type says: JSON media types (`+json` too) are serialised, text is sent as is. */
function serialize(result: HttpResult): string | undefined {
  if (result.body === undefined) return undefined;
  const type = Object.entries(result.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return typeof result.body === 'string' && !/[/+]json\b/i.test(type) ? result.body : JSON.stringify(result.body);
}

function headerOf(request: RequestLike, name: string): string | undefined {
  const h = request.headers;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function retrySecondsRaw(value: RetryAfter): number {
  return value instanceof Date ? (value.getTime() - Date.now()) / 1000 : value;
}

/** Whole seconds, at least 1: a 0 would invite an immediate retry storm. */
function retrySeconds(value: RetryAfter): number {
  const s = retrySecondsRaw(value);
  return Number.isFinite(s) ? Math.max(1, Math.ceil(s)) : 1;
}

function setAt(root: Record<string, unknown>, tokens: readonly string[], value: unknown): void {
  if (tokens.length === 0) return;
  let at = root;
  tokens.forEach((t, i) => {
    if (i === tokens.length - 1) at[t] = value;
    else {
      if (typeof at[t] !== 'object' || at[t] === null) at[t] = {};
      at = at[t] as Record<string, unknown>;
    }
  });
}

/** RFC 9110 reason phrases: RFC 9457 §4.2.1 says an `about:blank` problem's title is the status phrase. */
const REASON: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Content Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
  421: 'Misdirected Request', 422: 'Unprocessable Content', 423: 'Locked', 424: 'Failed Dependency',
  425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported', 507: 'Insufficient Storage', 511: 'Network Authentication Required',
};
