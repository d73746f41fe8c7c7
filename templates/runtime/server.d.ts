/**
 * Server-side error responses for an errata contract. Framework-neutral: every builder returns a
 * plain `{ status, headers, body }`, which `toResponse` turns into a Web `Response` and `send`
 * writes to a Node `http.ServerResponse`. The generated `server.ts` supplies the contract tables
 * and the per-operation input types; this file holds no spec strings.
 */
import { type Codec, type EnvelopePointers } from './codec.js';
import { type MetaSchema } from './schema-check.js';
export type { Codec, Path, Step } from './codec.js';
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
    readonly catalog: Readonly<Record<string, {
        readonly status: readonly number[];
        readonly message: string | undefined;
        readonly type?: string | undefined;
        readonly retry: string;
        readonly metaRequired: boolean;
        readonly envelope?: string | undefined;
    }>>;
    /**
     * Per operation, per code it declares, its rule: statuses after OpenAPI's status-key precedence,
     * whether meta and Retry-After are required. Computed once by errata; the client reads the same.
     */
    readonly operations: Readonly<Record<string, {
        readonly rules: Readonly<Partial<Record<string, CodeRule>>>;
    }>>;
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
export type LiveOptions<Members extends string> = [Members] extends [never] ? {
    live?: Record<string, never>;
} : {
    live: Record<Members, LiveHook>;
};
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
type Flat<T> = {
    [K in keyof T]: T[K];
} & {};
/** One member of an operation's input: code `C` under its rule `R` (computed by errata, not here). */
type InputFor<T extends ServerTypes, C, R> = R extends {
    statuses: infer S;
    meta: infer M;
    retryAfter: infer A;
} ? Flat<{
    code: C;
} & (IsOne<S> extends true ? {
    status?: S;
} : {
    status: S;
}) & (M extends true ? {
    meta: Of<T['meta'], C>;
} : {
    meta?: Of<T['meta'], C>;
}) & (A extends true ? {
    retryAfter: RetryAfter;
} : {
    retryAfter?: RetryAfter;
}) & ErrorOptions> : never;
/** What `Op`'s builder accepts: one member per code it declares, with that code's status, `meta` and Retry-After rules. */
export type ErrorInput<T extends ServerTypes, Op> = Of<T['rules'], Op> extends infer R ? {
    [C in keyof R]: InputFor<T, C, R[C]>;
}[keyof R] : never;
/** Every operation's builder input. */
export type ErrorInputs<T extends ServerTypes> = {
    [Op in keyof T['rules']]: ErrorInput<T, Op>;
};
/** `headers` with each header an unrouted rule requires (`{ allow: 'GET, DELETE' }` on a 405). */
type RequiredHeaders<R> = R extends {
    headers: infer H extends string;
} ? ([H] extends [never] ? unknown : {
    headers: {
        [K in H]: string;
    } & Record<string, string>;
}) : unknown;
/**
 * What the unrouted builder accepts (`T['rules']`: `UnroutedRules`, per code): as an operation's
 * builder, plus the headers each code's responses declare (`Allow`).
 */
export type UnroutedInput<T extends ServerTypes> = {
    [C in keyof T['rules']]: InputFor<T, C, T['rules'][C]> & RequiredHeaders<T['rules'][C]>;
}[keyof T['rules']];
/** Per operation, per declared code, its rule, as the contract tables carry it. */
export declare function operationRules(contract: ServerContract): Record<string, Readonly<Partial<Record<string, CodeRule>>>>;
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
    onUnexpected?: (error: unknown, info: {
        requestId: string;
    }) => void;
}
/** An outgoing error that its operation does not declare. Thrown by the guard. */
export declare class ContractViolation extends Error {
    readonly name = "ContractViolation";
    readonly operation: string;
    readonly code: string;
    readonly status: number | undefined;
    constructor(operation: string, code: string, status: number | undefined, reason: string);
}
type Builders<Inputs, Bodies> = {
    [Op in keyof Inputs]: (input: Inputs[Op]) => ErrorResult<CodeOf<Inputs[Op]>, BodyOf<Bodies, CodeOf<Inputs[Op]>>>;
};
type CodeOf<I> = I extends {
    code: infer C extends string;
} ? C : never;
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
    internal(error?: unknown, options?: {
        request?: RequestLike;
        requestId?: string;
    }): Internal;
    /**
     * Wraps a fetch-style handler: thrown exceptions become the internal error. A `Response` the
     * handler returns gets the request id header unless it has one (`addMissingHeaders`).
     */
    fetch(handler: (request: Request, scope: RequestScope<Inputs, Bodies, Internal, Unrouted>) => Response | HttpResult | Promise<Response | HttpResult>): (request: Request) => Promise<Response>;
    /** Wraps a Node `http` handler: thrown exceptions become the internal error; a returned result is sent. */
    node<Req extends RequestLike, Res extends NodeResponse>(handler: (req: Req, res: Res, scope: RequestScope<Inputs, Bodies, Internal, Unrouted>) => HttpResult | void | Promise<HttpResult | void>): (req: Req, res: Res) => Promise<void>;
}
/** The part of Node's `http.ServerResponse` that `send` uses (kept structural: no Node types needed). */
export interface NodeResponse {
    headersSent: boolean;
    writeHead(status: number, headers: Record<string, string>): unknown;
    end(body?: string): unknown;
    destroy(error?: Error): unknown;
}
export declare function createServerErrors<Inputs, Bodies = Record<string, never>, Internal extends HttpResult = ErrorResult | BareInternalResult, Unrouted = never>(contract: ServerContract, options?: ServerOptions): ServerErrors<Inputs, Bodies, Internal, Unrouted>;
/**
 * Sets each of `headers` that `response` lacks (the request id on a response a handler or a
 * framework built). A Response whose headers are immutable (`Response.redirect()`, one from
 * `fetch()`) is copied with them instead; use the returned Response. One that cannot be copied
 * (status outside 200–599, body already read) is returned as it is.
 */
export declare function addMissingHeaders(response: Response, headers: Record<string, string>): Response;
/** A Web `Response` for a result. */
export declare function toResponse(result: HttpResult): Response;
/**
 * Writes a result to Node's `http.ServerResponse` (or anything shaped like it). `byteLength` counts
 * the body's UTF-8 bytes for Content-Length: the Node adapter passes `Buffer.byteLength`, which
 * counts without encoding; the default is web-standard.
 */
export declare function send(res: NodeResponse, result: HttpResult, byteLength?: (text: string) => number): void;
/**
 * The human message sent for a code when the builder gets none: the catalog's `message`, else the
 * status's reason phrase. Never the `description`, which is documentation. errata's examples in
 * the bundled contract use this same function, so they show what the server sends.
 */
export declare function wireMessage(message: string | undefined, status: number): string;
/** RFC 9110's reason phrase of a status (`Not Found`), or `HTTP 599` for one it does not name. */
export declare function reasonPhrase(status: number): string;
