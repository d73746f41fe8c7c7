/**
 * Client-side errors and retries for an errata contract, on top of openapi-fetch. The generated
 * `client.ts` passes in the contract tables (envelope pointers, catalog, operations) and the types
 * (per-operation codes, per-code meta); this file holds no spec strings. The core is web-standard:
 * errors are read from a `Response`, retries wrap a `(request: Request) => Promise<Response>`.
 */
import { type ClientOptions as FetchClientOptions, type FetchResponse, type MaybeOptionalInit, type Client as FetchClient } from 'openapi-fetch';
import { type Codec, type EnvelopePointers } from './codec.js';
import { type MetaSchema } from './schema-check.js';
export interface ClientContract {
    readonly envelope: EnvelopePointers;
    /** Every envelope as a codec (runtime/codec.ts), the default first; without it, `envelope` is the one envelope. */
    readonly codecs?: readonly Codec[] | undefined;
    /** Per code with meta, its schema: meta that breaks it is `kind: 'malformed'`, never the code's type. */
    readonly metaSchemas?: Readonly<Record<string, MetaSchema>> | undefined;
    /** `envelope`: the codec the code's bodies use, when not the default one. */
    readonly catalog: Readonly<Record<string, {
        readonly status: readonly number[];
        readonly retry: 'none' | 'backoff' | 'after';
        readonly envelope?: string | undefined;
    }>>;
    /** Per operation, per code it declares, the statuses it may come with (status-key precedence applied by errata). */
    readonly operations: Readonly<Record<string, {
        readonly method: string;
        readonly path: string;
        readonly rules: Readonly<Partial<Record<string, {
            readonly statuses: readonly number[];
            readonly meta?: boolean;
        }>>>;
    }>>;
    /** Per code no operation owns (`x-errata.unrouted`), the statuses it may come with on any call. */
    readonly unrouted?: Readonly<Partial<Record<string, {
        readonly statuses: readonly number[];
        readonly meta?: boolean;
    }>>> | undefined;
}
/** The contract's types: per-operation codes by status key, per-code meta, and which operation each `"method path"` is. */
export interface ContractTypes {
    errors: object;
    meta: object;
    index: object;
    /** Per status, the codes any call may get (`UnroutedErrors`). */
    unrouted?: object;
}
/**
 * Codes the client itself assigns; lower-case with a `errata:` prefix so they can never collide
 * with a catalog code (`^[A-Z][A-Z0-9_]*$`).
 */
export declare const ReservedCode: {
    /** An error status with no body at all (or only whitespace). */
    readonly emptyBody: "errata:empty_body";
    /** The body is not JSON and does not claim to be (an HTML 502 page from a proxy or load balancer). */
    readonly notJson: "errata:not_json";
    /** The body claims to be JSON or starts like JSON but does not parse (truncated by a dropped connection). */
    readonly invalidJson: "errata:invalid_json";
    /** Valid JSON, but no string at the envelope's code pointer (a framework's default error page). */
    readonly notEnvelope: "errata:not_envelope";
    /**
     * A body longer than the client reads (`maxErrorBodyBytes`, default 1 MiB): the rest was left
     * unread and the stream cancelled; `rawBody` holds the part that was read.
     */
    readonly bodyTooLarge: "errata:body_too_large";
    /** A code this client's contract does not allow for this operation and status (a newer server). */
    readonly unknownCode: "errata:unknown_code";
    /** A declared code whose `meta` is missing or breaks the code's meta schema (`serverCode` holds the code). */
    readonly malformedMeta: "errata:malformed_meta";
    /** A success status whose body is not the JSON it claims to be (`rawBody` holds it). */
    readonly malformedSuccess: "errata:malformed_success";
};
/** What is read of an error body by default: enough for any envelope, little enough for any process. */
export declare const DEFAULT_MAX_ERROR_BODY_BYTES: number;
/**
 * The body of `response` as text, at most `maxBytes` of it: the rest is never read (the stream is
 * cancelled), so a huge or endless error body costs `maxBytes` of memory, not its size. A body cut
 * in the middle of a UTF-8 sequence ends with U+FFFD.
 */
export declare function readBodyText(response: Response, maxBytes?: number): Promise<{
    text: string;
    truncated: boolean;
}>;
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
export declare class ApiError<Status extends number = number, Code extends string = string, Meta = unknown> extends Error {
    readonly name = "ApiError";
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
    constructor(init: ApiErrorInit<Status, Code, Meta>);
}
export declare function isApiError(value: unknown): value is ApiError;
export type ContractError<Status extends number, Code extends string, Meta> = ApiError<Status, Code, Meta> & {
    readonly kind: 'contract';
};
export type UnknownCodeError = ApiError<number, UnknownCode, unknown> & {
    readonly kind: 'unknown';
    readonly serverCode: string;
};
export type TransportError = ApiError<number, TransportCode, undefined> & {
    readonly kind: 'transport';
    readonly serverCode: undefined;
};
/** What the server sent does not hold what the contract promises: its meta is `unknown`, as received. */
export type MalformedError = ApiError<number, MalformedCode, unknown> & {
    readonly kind: 'malformed';
};
type StatusOfKey<K> = K extends `${infer N extends number}` ? N : number;
/** `{ "404": "NOT_FOUND" | "GONE" }` → one `ContractError` per status and code. */
export type ContractErrors<Errors, Meta> = {
    [K in keyof Errors]: Errors[K] extends infer C ? (C extends string ? ContractError<StatusOfKey<K>, C, C extends keyof Meta ? Meta[C] : unknown> : never) : never;
}[keyof Errors];
/** Everything an operation's call can fail with. */
export type ApiErrorFor<Errors, Meta> = ContractErrors<Errors, Meta> | UnknownCodeError | TransportError | MalformedError;
export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
    /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
    sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
    /** In [0, 1). */
    random(): number;
}
export declare const systemClock: Clock;
/** `Retry-After` as seconds: delta-seconds, or an HTTP-date relative to `now` (never negative). */
export declare function parseRetryAfter(value: string | null | undefined, now: number): number | undefined;
/** The code a body carries, read with the first envelope it fits, if it is JSON. */
export declare function readCode(contract: ClientContract, text: string, contentType?: string): string | undefined;
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
export declare function readApiError(contract: ClientContract, response: Response, options?: ReadErrorOptions): Promise<ApiError>;
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
export declare function withRetry(fetch: Fetch, contract: ClientContract, options?: RetryOptions): Fetch;
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
export type ErrataResult<Data, Err> = {
    data: Data;
    error?: undefined;
    response: Response;
} | {
    data?: undefined;
    error: Err;
    response: Response;
};
type SuccessData<R> = R extends {
    data: infer D;
    error?: never;
} ? D : never;
type OperationAt<T extends ContractTypes, Path, M> = Path extends string ? (M extends string ? Of<T['index'], `${M} ${Path}`> : never) : never;
type Of<T, K> = K extends keyof T ? T[K] : never;
/** The error type of a call to `path` with `method`. */
export type ErrorAt<T extends ContractTypes, Path, M> = ([OperationAt<T, Path, M>] extends [infer Op extends keyof T['errors']] ? ApiErrorFor<T['errors'][Op], T['meta']> : ApiErrorFor<{}, T['meta']>) | ContractErrors<Of<T, 'unrouted'>, T['meta']>;
type RequiredKeysHelper<T> = {
    [K in keyof T]: {} extends Pick<T, K> ? never : K;
}[keyof T];
type RequiredKeys<T> = RequiredKeysHelper<T> extends undefined ? never : RequiredKeysHelper<T>;
type InitArgs<Init> = RequiredKeys<Init> extends never ? [(Init & {
    [key: string]: unknown;
})?] : [Init & {
    [key: string]: unknown;
}];
/** openapi-typescript's `paths` is an interface (no index signature), so it is indexed through conditionals. */
type Paths = {};
type OperationType<P, Path, M> = Path extends keyof P ? (M extends keyof P[Path] ? P[Path][M] : never) : never;
type PathsWith<P, M extends HttpMethod> = {
    [Path in keyof P]: P[Path] extends {
        [K in M]: any;
    } ? Path : never;
}[keyof P];
type Media = `${string}/${string}`;
type Success<P, Path, M extends HttpMethod, Init> = SuccessData<FetchResponse<OperationType<P, Path, M> & Record<string | number, any>, Init, Media>>;
type Method<P extends Paths, M extends HttpMethod, T extends ContractTypes, Throw extends boolean> = <Path extends PathsWith<P, M>, Init extends MaybeOptionalInit<Record<M, OperationType<P, Path, M>>, M>>(url: Path, ...init: InitArgs<Init>) => Promise<Throw extends true ? {
    data: Success<P, Path, M, Init>;
    response: Response;
} : ErrataResult<Success<P, Path, M, Init>, ErrorAt<T, Path, M>>>;
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
export declare function createErrataClient<P extends Paths, T extends ContractTypes, Throw extends boolean = false>(contract: ClientContract, options?: ErrataClientOptions<Throw>): ErrataClient<P, T, Throw>;
/** `{ data, error }` to data, throwing the error: for one throwing call in a non-throwing client. */
export declare function unwrap<D, E>(result: Promise<ErrataResult<D, E>> | ErrataResult<D, E>): Promise<D>;
export {};
