/**
 * Server-side error responses for an errata contract. Framework-neutral: every builder returns a
 * plain `{ status, headers, body }`, which `toResponse` turns into a Web `Response` and `send`
 * writes to a Node `http.ServerResponse`. The generated `server.ts` supplies the contract tables
 * and the per-operation input types; this file holds no spec strings.
 */

import { defineOwn, encode, fill, pointerCodec, template, type Codec, type EnvelopePointers, type Template } from './codec';
import { schemaProblem, type MetaSchema } from './schema-check';

export type { Codec, Path, Step } from './codec';

/** Seconds to wait, or the moment the client may retry. Sent as delta-seconds (RFC 9110 §10.2.3). */
export type RetryAfter = number | Date;

/** Anything with request headers: a Web `Request`, Node's `IncomingMessage`, a plain object. */
export interface RequestLike {
  headers: Headers | Record<string, string | string[] | undefined>;
}

/** Options every error builder accepts, whatever the code. */
export interface ErrorOptions {
  /** Overrides the catalog's wire `message` (by default the code's `message`, else the status's reason phrase). */
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
  readonly envelope: EnvelopePointers;
  /**
   * Every envelope as a codec (runtime/codec.ts), the default first: where each part of a body is
   * written, the constants it carries. Without it, `envelope` and the members below describe the one envelope.
   */
  readonly codecs?: readonly Codec[] | undefined;
  /** Per code with meta, its schema: the guard checks the meta a builder is given against it. */
  readonly metaSchemas?: Readonly<Record<string, MetaSchema>> | undefined;
  /**
   * `message`: what is sent as the human message; documentation (`description`) never goes on the wire.
   * `envelope`: the codec the code's bodies use, when not the default one.
   */
  readonly catalog: Readonly<Record<string, { readonly status: readonly number[]; readonly message: string | undefined; readonly type?: string | undefined; readonly retry: string; readonly metaRequired: boolean; readonly envelope?: string | undefined }>>;
  /**
   * Per operation, per code it declares, its rule: statuses after OpenAPI's status-key precedence,
   * whether meta and Retry-After are required. Computed once by errata; the client reads the same.
   */
  readonly operations: Readonly<Record<string, { readonly rules: Readonly<Partial<Record<string, CodeRule>>> }>>;
  /** Without `codecs`: members every error body carries (constants, defaults), before code/message/meta are set. */
  readonly base?: unknown;
  /** Without `codecs`: members that repeat the HTTP status and its reason phrase (RFC 9457 `status`, `title`). */
  readonly statusMember?: readonly string[] | undefined;
  readonly titleMember?: readonly string[] | undefined;
  /** The code unexpected exceptions become: the catalog's 500 code. */
  readonly internalCode: string | undefined;
  /** RFC 9457 `type`: set to the code's catalog `type` where it has one. */
  readonly typeMember?: readonly string[] | undefined;
  /** Envelope members the server supplies per response through `options.live` (JSON Pointers). */
  readonly live?: readonly string[] | undefined;
  /** Per code no operation owns (`x-errata.unrouted`), its rule and the headers its builder must be given. */
  readonly unrouted?: Readonly<Partial<Record<string, UnroutedRule>>> | undefined;
}

/** An unrouted code's rule: an operation's, plus the headers the response must carry (`allow` on a 405). */
export interface UnroutedRule extends CodeRule {
  readonly headers: readonly string[];
}

/** What a live member's hook is told about the error it fills a member of. */
export interface LiveInfo {
  code: string;
  status: number;
  requestId: string;
}

/** Computes one live envelope member (a timestamp, a trace id) for each error response. */
export type LiveHook = (error: LiveInfo) => unknown;

/** `{ live: { '/timestamp': hook } }`, required exactly when the contract declares live members. */
export type LiveOptions<Members extends string> = [Members] extends [never] ? { live?: Record<string, never> } : { live: Record<Members, LiveHook> };

/**
 * The contract's types the generated `server.ts` passes in. Builder inputs are derived from them
 * per operation, only where a builder is used: spelling out every operation's input union made
 * type-checking a large contract's `generated/` cost more than its whole `openapi.ts`.
 */
export interface ServerTypes {
  /** Per operation, per code it declares, its rule (`OperationRules`: statuses, meta, retryAfter). */
  rules: object;
  /** Per code, its `meta` type. */
  meta: object;
}

type Of<T, K> = K extends keyof T ? T[K] : never;
type IsOne<T, U = T> = [T] extends [never] ? false : T extends unknown ? ([U] extends [T] ? true : false) : never;
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** One member of an operation's input: code `C` under its rule `R` (computed by errata, not here). */
type InputFor<T extends ServerTypes, C, R> = R extends { statuses: infer S; meta: infer M; retryAfter: infer A }
  ? Flat<
      { code: C } &
        (IsOne<S> extends true ? { status?: S } : { status: S }) &
        (M extends true ? { meta: Of<T['meta'], C> } : { meta?: Of<T['meta'], C> }) &
        (A extends true ? { retryAfter: RetryAfter } : { retryAfter?: RetryAfter }) &
        ErrorOptions
    >
  : never;

/** What `Op`'s builder accepts: one member per code it declares, with that code's status, `meta` and Retry-After rules. */
export type ErrorInput<T extends ServerTypes, Op> = Of<T['rules'], Op> extends infer R ? { [C in keyof R]: InputFor<T, C, R[C]> }[keyof R] : never;

/** Every operation's builder input. */
export type ErrorInputs<T extends ServerTypes> = { [Op in keyof T['rules']]: ErrorInput<T, Op> };

/** `headers` with each header an unrouted rule requires (`{ allow: 'GET, DELETE' }` on a 405). */
type RequiredHeaders<R> = R extends { headers: infer H extends string } ? ([H] extends [never] ? unknown : { headers: { [K in H]: string } & Record<string, string> }) : unknown;

/**
 * What the unrouted builder accepts (`T['rules']`: `UnroutedRules`, per code): as an operation's
 * builder, plus the headers each code's responses declare (`Allow`).
 */
export type UnroutedInput<T extends ServerTypes> = { [C in keyof T['rules']]: InputFor<T, C, T['rules'][C]> & RequiredHeaders<T['rules'][C]> }[keyof T['rules']];

/** Per operation, per declared code, its rule, as the contract tables carry it. */
export function operationRules(contract: ServerContract): Record<string, Readonly<Partial<Record<string, CodeRule>>>> {
  return Object.fromEntries(Object.entries(contract.operations).map(([operation, info]) => [operation, info.rules]));
}

export interface ServerOptions {
  /**
   * Check every outgoing error against its operation's declaration at run time and throw a
   * `ContractViolation` naming operation, code and status. Catches what types cannot see
   * (JavaScript callers, `as any`). Default: on unless `NODE_ENV` is `production`.
   */
  guard?: boolean;
  /**
   * The code unexpected exceptions become. Default: the catalog's 500 code. Must be a catalog code
   * with a 5xx status (`createServerErrors` throws otherwise). With none, they become a 500 with no
   * body, carrying only the request id header.
   */
  internalCode?: string;
  /** Incoming header to take the request id from. Default: the envelope's header, else `x-request-id`. */
  requestIdHeader?: string;
  generateRequestId?: () => string;
  /**
   * The `WWW-Authenticate` challenge every 401 carries unless its builder passes one in `headers`
   * (RFC 9110 §15.5.2 requires it; errata's lint rule www-authenticate-header checks the contract).
   */
  challenge?: string;
  /** Per live envelope member (`x-errata.envelope.live`), the hook that computes it for each response. */
  live?: Readonly<Record<string, LiveHook>>;
  /**
   * Called with every unexpected exception (the client only sees the internal error), also one
   * thrown as `undefined`. Default: console.error. If the hook itself throws, both errors go to
   * console.error and the request still gets its internal error: a logging failure must not take
   * the server down.
   */
  onUnexpected?: (error: unknown, info: { requestId: string }) => void;
}

/** An outgoing error that its operation does not declare. Thrown by the guard. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  // Plain fields, not parameter properties: generated code must compile under `erasableSyntaxOnly`.
  readonly operation: string;
  readonly code: string;
  readonly status: number | undefined;
  constructor(operation: string, code: string, status: number | undefined, reason: string) {
    super(`errata guard: ${operation} cannot return ${code}${status === undefined ? '' : ` with status ${status}`}: ${reason}`);
    this.operation = operation;
    this.code = code;
    this.status = status;
  }
}

type Builders<Inputs, Bodies> = {
  [Op in keyof Inputs]: (input: Inputs[Op]) => ErrorResult<CodeOf<Inputs[Op]>, BodyOf<Bodies, CodeOf<Inputs[Op]>>>;
};
type CodeOf<I> = I extends { code: infer C extends string } ? C : never;
/** The service-level builder of errors no operation owns (`x-errata.unrouted`). */
type UnroutedBuilder<Input, Bodies> = (input: Input) => ErrorResult<CodeOf<Input>, BodyOf<Bodies, CodeOf<Input>>>;
type BodyOf<Bodies, C> = C extends keyof Bodies ? Bodies[C] : Record<string, unknown>;

/**
 * What `internal()` sends when there is no internal code (the catalog has no 5xx code): a 500 with
 * no body, only the request id header. Inventing a code would put one on the wire that no response
 * of the contract declares.
 */
export interface BareInternalResult extends HttpResult<undefined> {
  code: undefined;
  requestId: string;
}

/**
 * One request: its id and builders that reuse it, so every response of the request carries the same id.
 * `Internal` is what `internal()` returns: the generated `server.ts` narrows it to `ErrorResult` when
 * the contract has an internal code.
 */
export interface RequestScope<Inputs, Bodies, Internal extends HttpResult = ErrorResult, Unrouted = never> {
  readonly requestId: string;
  /** The builder of errors no operation owns (an unknown route, a wrong method), bound to this request's id. */
  readonly unrouted: UnroutedBuilder<Unrouted, Bodies>;
  /**
   * The operations' builders, bound to this request's id. Each is made when first read, so opening
   * a scope costs the same for 10 operations or 10,000; they are inherited getters, so
   * `Object.keys(scope.errors)` is empty (enumerate `errata.errors` instead).
   */
  readonly errors: Builders<Inputs, Bodies>;
  /** The request id header (when the envelope has one) plus `extra`: for responses built by hand. */
  headers(extra?: Record<string, string>): Record<string, string>;
  /** A success response with a JSON body and the request id header. */
  json<B>(status: number, body: B, headers?: Record<string, string>): HttpResult<B>;
  /** A success response with a text body (e.g. a playlist) and the request id header. */
  text(status: number, text: string, contentType?: string, headers?: Record<string, string>): HttpResult<string>;
  /** The internal error for an unexpected exception: no message or stack from `error` leaves. */
  internal(error?: unknown): Internal;
}

export interface ServerErrors<Inputs, Bodies, Internal extends HttpResult = ErrorResult, Unrouted = never> {
  /** Per operation, a builder that accepts only that operation's codes. */
  readonly errors: Builders<Inputs, Bodies>;
  /** The builder of errors no operation owns (`x-errata.unrouted`): it accepts only those codes. */
  readonly unrouted: UnroutedBuilder<Unrouted, Bodies>;
  /** The request id to use for `request`: its incoming header when well-formed, else a new one. */
  requestId(request?: RequestLike): string;
  forRequest(request?: RequestLike): RequestScope<Inputs, Bodies, Internal, Unrouted>;
  internal(error?: unknown, options?: { request?: RequestLike; requestId?: string }): Internal;
  /**
   * Wraps a fetch-style handler: thrown exceptions become the internal error. A `Response` the
   * handler returns gets the request id header unless it has one (`addMissingHeaders`).
   */
  fetch(handler: (request: Request, scope: RequestScope<Inputs, Bodies, Internal, Unrouted>) => Response | HttpResult | Promise<Response | HttpResult>): (request: Request) => Promise<Response>;
  /** Wraps a Node `http` handler: thrown exceptions become the internal error; a returned result is sent. */
  node<Req extends RequestLike, Res extends NodeResponse>(
    handler: (req: Req, res: Res, scope: RequestScope<Inputs, Bodies, Internal, Unrouted>) => HttpResult | void | Promise<HttpResult | void>,
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

/** What the guard calls the unrouted errors' builder in its messages. */
const UNROUTED = 'x-errata.unrouted';

/** Where a request scope's `errors` keeps its request id and the builders bound to it so far. */
const SCOPE_ID = Symbol('errata.requestId');
const SCOPE_BOUND = Symbol('errata.bound');
type ScopeErrors = { [SCOPE_ID]?: string; [SCOPE_BOUND]?: Record<string, Builder> };
/** A builder's input as the run time sees it (declared members: `noPropertyAccessFromIndexSignature`). */
interface RawInput {
  code?: unknown;
  status?: unknown;
  message?: unknown;
  meta?: unknown;
  retryAfter?: unknown;
  headers?: unknown;
  requestId?: unknown;
  request?: unknown;
}
type Builder = (input: RawInput) => ErrorResult;

export function createServerErrors<Inputs, Bodies = Record<string, never>, Internal extends HttpResult = ErrorResult | BareInternalResult, Unrouted = never>(
  contract: ServerContract,
  options: ServerOptions = {},
): ServerErrors<Inputs, Bodies, Internal, Unrouted> {
  const env = contract.envelope;
  // Read through globalThis so the file compiles and runs where there is no `process` (workers, Deno).
  const nodeEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['NODE_ENV'];
  const guard = options.guard ?? nodeEnv !== 'production';
  const incomingHeader = (options.requestIdHeader ?? env.requestIdHeader ?? 'x-request-id').toLowerCase();
  const newId = options.generateRequestId ?? (() => `req_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`);
  if (options.internalCode !== undefined) {
    const entry = Object.hasOwn(contract.catalog, options.internalCode) ? contract.catalog[options.internalCode] : undefined;
    const what = `errata: internalCode ${JSON.stringify(options.internalCode)}`;
    if (!entry) throw new TypeError(`${what} is not a catalog code`);
    if (!entry.status.some(isServerError)) throw new TypeError(`${what} has no 5xx status in the catalog (only ${entry.status.join(', ')})`);
  }
  const internalCode = options.internalCode ?? contract.internalCode;
  // The catalog's 500 when it gives the code one, else its first 5xx: the status its responses declare.
  const internalStatuses = internalCode === undefined ? [] : (contract.catalog[internalCode]?.status ?? []);
  const internalStatus = internalStatuses.includes(500) ? 500 : (internalStatuses.find(isServerError) ?? 500);
  const logUnexpected = (error: unknown, info: { requestId: string }) => console.error(`[errata] unexpected error in request ${info.requestId}:`, error);
  const hook = options.onUnexpected ?? logUnexpected;
  function onUnexpected(error: unknown, info: { requestId: string }): void {
    try {
      hook(error, info);
    } catch (hookError) {
      logUnexpected(error, info);
      console.error(`[errata] onUnexpected threw while reporting request ${info.requestId}:`, hookError);
    }
  }
  const table = operationRules(contract);
  const codecs: readonly Codec[] = contract.codecs ?? [
    pointerCodec(env, {
      base: contract.base ?? {},
      status: contract.statusMember,
      title: contract.titleMember,
      type: contract.typeMember,
      live: (contract.live ?? []).map((pointer) => ({ pointer, path: pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')) })),
    }),
  ];
  const byName = new Map(codecs.map((c) => [c.name, c]));
  const codecOf = (code: string): Codec => byName.get((Object.hasOwn(contract.catalog, code) ? contract.catalog[code]?.envelope : undefined) ?? 'default') ?? codecs[0]!;
  // Never ship sample data: a live member's value comes from the server's hook, or nothing is built.
  const liveHooks = new Map<string, LiveHook>();
  for (const { pointer } of codecs.flatMap((c) => c.live ?? [])) {
    const hook = options.live && Object.hasOwn(options.live, pointer) ? options.live[pointer] : undefined;
    if (typeof hook !== 'function') throw new TypeError(`errata: the envelope member ${pointer} is live; pass createServerErrors({ live: { '${pointer}': (error) => … } })`);
    liveHooks.set(pointer, hook);
  }

  function requestId(request?: RequestLike): string {
    const raw = request ? headerOf(request, incomingHeader) : undefined;
    // An id a client sent is echoed into headers and logs, so only a plain token is trusted.
    return raw !== undefined && REQUEST_ID.test(raw) ? raw : newId();
  }

  function baseHeaders(id: string, codec: Codec = codecs[0]!): Record<string, string> {
    const header = codec.requestIdHeader ?? env.requestIdHeader;
    return header ? { [header.toLowerCase()]: id } : {};
  }

  // Per codec, the headers every error response starts with, the request id header's name
  // lower-cased once (a key made per response is hashed per response).
  const errorHeaders = new Map<Codec, { readonly headers: Readonly<Record<string, string>>; readonly idHeader: string | undefined }>();
  for (const codec of codecs) {
    const idHeader = (codec.requestIdHeader ?? env.requestIdHeader)?.toLowerCase();
    errorHeaders.set(codec, { headers: { 'content-type': codec.mediaType, ...ERROR_HEADERS, ...(idHeader ? { [idHeader]: '' } : {}) }, idHeader });
  }
  // Per code and status, the body template (codec.ts `template`), made when first sent: a
  // contract's thousands of codes cost nothing until used. `null`: the envelope needs `encode`.
  const templates = new Map<string, Map<number, Template | null>>();
  function templateOf(codec: Codec, code: string, status: number): Template | undefined {
    let byStatus = templates.get(code);
    if (byStatus === undefined) templates.set(code, (byStatus = new Map()));
    let t = byStatus.get(status);
    if (t === undefined) {
      t = template(codec, { code, status, message: wireMessage(contract.catalog[code]?.message, status), title: reasonPhrase(status), type: contract.catalog[code]?.type }) ?? null;
      byStatus.set(status, t);
    }
    return t ?? undefined;
  }

  function build(code: string, status: number, input: RawInput, id: string): ErrorResult {
    const codec = codecOf(code);
    const message = typeof input.message === 'string' ? input.message : undefined;
    // A closure only for an envelope with live members: most have none, and this runs per response.
    const live = codec.live?.length ? (pointer: string) => liveHooks.get(pointer)!({ code, status, requestId: id }) : undefined;
    const t = input.meta === undefined ? templateOf(codec, code, status) : undefined;
    const body = t
      ? fill(codec, t, { message, requestId: id, live })
      : encode(codec, {
          code,
          status,
          message: message ?? wireMessage(contract.catalog[code]?.message, status),
          title: reasonPhrase(status),
          meta: input.meta,
          requestId: id,
          type: contract.catalog[code]?.type,
          live,
        });
    const start = errorHeaders.get(codec)!;
    const headers = copyHeaders(start.headers);
    if (start.idHeader) headers[start.idHeader] = id;
    if (input.retryAfter !== undefined) headers['retry-after'] = String(retrySeconds(input.retryAfter as RetryAfter));
    if (input.headers) for (const [k, v] of Object.entries(input.headers as Record<string, string>)) headers[k.toLowerCase()] = v;
    if (status === 401 && options.challenge !== undefined && headers['www-authenticate'] === undefined) headers['www-authenticate'] = options.challenge;
    return { status, headers, body, code, requestId: id };
  }

  function check(operation: string, input: RawInput): number {
    return checkRule(operation, table[operation], input);
  }

  /** The unrouted builder's check: an operation's, plus the headers the code's responses declare. */
  function checkUnrouted(input: RawInput): number {
    const rules = contract.unrouted ?? {};
    const status = checkRule(UNROUTED, rules, input);
    const code = String(input.code);
    const rule = Object.hasOwn(rules, code) ? rules[code] : undefined;
    const given = lower((input.headers as Record<string, string> | undefined) ?? {});
    const missing = (rule?.headers ?? []).filter((h) => typeof given[h] !== 'string');
    if (guard && missing.length > 0) throw new ContractViolation(UNROUTED, code, status, `its response declares ${missing.join(', ')}; pass \`headers: { ${missing.map((h) => `'${h}': …`).join(', ')} }\``);
    return status;
  }

  function checkRule(operation: string, rules: Readonly<Partial<Record<string, CodeRule>>> | undefined, input: RawInput): number {
    const code = String(input.code);
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
      if (input.meta !== undefined && !codecOf(code).meta) fail('the envelope has no place for `meta`');
      const metaSchema = input.meta !== undefined && contract.metaSchemas && Object.hasOwn(contract.metaSchemas, code) ? contract.metaSchemas[code] : undefined;
      const broken = metaSchema === undefined ? undefined : schemaProblem(input.meta, metaSchema);
      if (broken !== undefined) fail(`its \`meta\` does not match the code's meta schema (${broken})`);
      if (rule.retryAfter && input.retryAfter === undefined) fail('the response requires a Retry-After header; pass `retryAfter`');
      if (input.retryAfter !== undefined && !Number.isFinite(retrySecondsRaw(input.retryAfter as RetryAfter))) fail('`retryAfter` must be a number of seconds or a valid Date');
    }
    return status ?? rule.statuses[0]!;
  }

  /** One operation's builder, without a request scope (`id` undefined) or within one. */
  function run(operation: string, input: RawInput, id: string | undefined): ErrorResult {
    const status = check(operation, input);
    const chosen = typeof input.requestId === 'string' ? input.requestId : input.request ? requestId(input.request as RequestLike) : (id ?? newId());
    return build(String(input.code), status, input, chosen);
  }

  function runUnrouted(input: RawInput, id: string | undefined): ErrorResult {
    const status = checkUnrouted(input);
    const chosen = typeof input.requestId === 'string' ? input.requestId : input.request ? requestId(input.request as RequestLike) : (id ?? newId());
    return build(String(input.code), status, input, chosen);
  }

  const operationNames = Object.keys(table);
  // Null prototypes: an operation named like an Object.prototype member stays an operation.
  const errors: Record<string, Builder> = Object.create(null);
  for (const operation of operationNames) errors[operation] = (input) => run(operation, input, undefined);

  // Every scope's `errors` inherits these getters, made once here; a scope binds a builder to its
  // id the first time it is read. Opening a scope (every request, in `fetch`/`node`) so costs two
  // small objects, not one closure per operation.
  const scopedErrors: object = Object.create(null);
  for (const operation of operationNames) {
    Object.defineProperty(scopedErrors, operation, {
      enumerable: true,
      get(this: ScopeErrors): Builder {
        const bound = (this[SCOPE_BOUND] ??= Object.create(null) as Record<string, Builder>);
        return (bound[operation] ??= (input) => run(operation, input, this[SCOPE_ID]));
      },
    });
  }

  function internal(error?: unknown, opts: { request?: RequestLike; requestId?: string } = {}): Internal {
    const id = opts.requestId ?? requestId(opts.request);
    if (error !== undefined) onUnexpected(error, { requestId: id });
    return internalResult(id);
  }

  /** The internal error for a caught exception, whatever was thrown (`throw undefined` too). */
  function caught(error: unknown, id: string): Internal {
    onUnexpected(error, { requestId: id });
    return internalResult(id);
  }

  function internalResult(id: string): Internal {
    const result: ErrorResult | BareInternalResult =
      internalCode === undefined
        ? { status: 500, headers: { ...ERROR_HEADERS, ...baseHeaders(id) }, body: undefined, code: undefined, requestId: id }
        : // The message is always the catalog's: an exception's message can hold secrets or internals.
          build(internalCode, internalStatus, {}, id);
    // The generated server.ts narrows `Internal` to `ErrorResult` only for a contract with an internal code.
    return result as unknown as Internal;
  }

  function forRequest(request?: RequestLike): RequestScope<Inputs, Bodies, Internal, Unrouted> {
    const id = requestId(request);
    const scoped: ScopeErrors = Object.create(scopedErrors);
    scoped[SCOPE_ID] = id;
    return {
      requestId: id,
      errors: scoped as unknown as Builders<Inputs, Bodies>,
      unrouted: ((input: RawInput) => runUnrouted(input, id)) as unknown as UnroutedBuilder<Unrouted, Bodies>,
      headers: (extra = {}) => ({ ...baseHeaders(id), ...lower(extra) }),
      json: (status, body, headers = {}) => ({ status, headers: { 'content-type': 'application/json', ...baseHeaders(id), ...lower(headers) }, body }),
      text: (status, text, contentType = 'text/plain; charset=utf-8', headers = {}) => ({ status, headers: { 'content-type': contentType, ...baseHeaders(id), ...lower(headers) }, body: text }),
      internal: (error) => internal(error, { requestId: id }),
    };
  }

  return {
    errors: errors as unknown as Builders<Inputs, Bodies>,
    unrouted: ((input: RawInput) => runUnrouted(input, undefined)) as unknown as UnroutedBuilder<Unrouted, Bodies>,
    requestId,
    forRequest,
    internal,
    fetch: (handler) => async (request) => {
      const scope = forRequest(request);
      try {
        const out = await handler(request, scope);
        return out instanceof Response ? addMissingHeaders(out, scope.headers()) : toResponse(out);
      } catch (error) {
        return toResponse(caught(error, scope.requestId));
      }
    },
    node: (handler) => async (req, res) => {
      const scope = forRequest(req);
      try {
        const out = await handler(req, res, scope);
        if (out) send(res, out);
      } catch (error) {
        const result = caught(error, scope.requestId);
        // Once a status line is out there is no honest way to turn it into an error: cut the connection.
        if (res.headersSent) res.destroy();
        else send(res, result);
      }
    },
  };
}

/**
 * Sets each of `headers` that `response` lacks (the request id on a response a handler or a
 * framework built). A Response whose headers are immutable (`Response.redirect()`, one from
 * `fetch()`) is copied with them instead; use the returned Response. One that cannot be copied
 * (status outside 200–599, body already read) is returned as it is.
 */
export function addMissingHeaders(response: Response, headers: Record<string, string>): Response {
  const missing = Object.entries(headers).filter(([name]) => !response.headers.has(name));
  if (missing.length === 0) return response;
  try {
    for (const [name, value] of missing) response.headers.set(name, value);
    return response;
  } catch {
    let copy: Response;
    try {
      copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch {
      return response;
    }
    for (const [name, value] of missing) copy.headers.set(name, value);
    return copy;
  }
}

/** A Web `Response` for a result. */
export function toResponse(result: HttpResult): Response {
  return new Response(serialize(result) ?? null, { status: result.status, headers: result.headers });
}

const UTF8 = new TextEncoder();

/**
 * Writes a result to Node's `http.ServerResponse` (or anything shaped like it). `byteLength` counts
 * the body's UTF-8 bytes for Content-Length: the Node adapter passes `Buffer.byteLength`, which
 * counts without encoding; the default is web-standard.
 */
export function send(res: NodeResponse, result: HttpResult, byteLength: (text: string) => number = utf8Length): void {
  const text = serialize(result);
  const headers = copyHeaders(result.headers);
  headers['content-length'] = String(text === undefined ? 0 : byteLength(text));
  res.writeHead(result.status, headers);
  res.end(text);
}

/**
 * `{ ...headers }`, member by member: V8 gives a spread copy a map on which adding a member (the
 * Content-Length, a Retry-After) takes its slow path, which cost more than the rest of a response.
 */
function copyHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) defineOwn(out, name, headers[name]);
  return out;
}

function utf8Length(text: string): number {
  return UTF8.encode(text).byteLength;
}

/**
 * The body as its content type says: JSON media types (`+json` too) are serialised, text is sent as
 * is. Only a string body needs its content type looked up: anything else is JSON whatever it says.
 */
function serialize(result: HttpResult): string | undefined {
  const body = result.body;
  if (body === undefined) return undefined;
  if (typeof body !== 'string') return JSON.stringify(body);
  const type = Object.entries(result.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return /[/+]json\b/i.test(type) ? JSON.stringify(body) : body;
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

function isServerError(status: number): boolean {
  return status >= 500 && status <= 599;
}

function retrySecondsRaw(value: RetryAfter): number {
  return value instanceof Date ? (value.getTime() - Date.now()) / 1000 : value;
}

/** Whole seconds, at least 1: a 0 would invite an immediate retry storm. */
function retrySeconds(value: RetryAfter): number {
  const s = retrySecondsRaw(value);
  return Number.isFinite(s) ? Math.max(1, Math.ceil(s)) : 1;
}

/**
 * The human message sent for a code when the builder gets none: the catalog's `message`, else the
 * status's reason phrase. Never the `description`, which is documentation. errata's examples in
 * the bundled contract use this same function, so they show what the server sends.
 */
export function wireMessage(message: string | undefined, status: number): string {
  return message ?? reasonPhrase(status);
}

/** RFC 9110's reason phrase of a status (`Not Found`), or `HTTP 599` for one it does not name. */
export function reasonPhrase(status: number): string {
  return REASON[status] ?? `HTTP ${status}`;
}

/**
 * Sent with every error response: the body is JSON built partly from the request (ids, messages),
 * and no browser may sniff it into HTML.
 */
const ERROR_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };

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
