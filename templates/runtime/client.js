/**
 * Client-side errors and retries for an errata contract, on top of openapi-fetch. The generated
 * `client.ts` passes in the contract tables (envelope pointers, catalog, operations) and the types
 * (per-operation codes, per-code meta); this file holds no spec strings. The core is web-standard:
 * errors are read from a `Response`, retries wrap a `(request: Request) => Promise<Response>`.
 */
import createFetchClient from 'openapi-fetch';
import { pointerCodec, readAt, readCodeWith } from './codec.js';
import { schemaProblem } from './schema-check.js';
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
};
/** What is read of an error body by default: enough for any envelope, little enough for any process. */
export const DEFAULT_MAX_ERROR_BODY_BYTES = 1024 * 1024;
/**
 * The body of `response` as text, at most `maxBytes` of it: the rest is never read (the stream is
 * cancelled), so a huge or endless error body costs `maxBytes` of memory, not its size. A body cut
 * in the middle of a UTF-8 sequence ends with U+FFFD.
 */
export async function readBodyText(response, maxBytes = DEFAULT_MAX_ERROR_BODY_BYTES) {
    if (!response.body)
        return { text: '', truncated: false };
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let read = 0;
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done)
                return { text: text + decoder.decode(), truncated: false };
            const room = maxBytes - read;
            if (value.byteLength > room) {
                text += decoder.decode(value.subarray(0, room));
                // Not awaited: cancelling one branch of a cloned (teed) body settles only once the other
                // branch is cancelled too.
                reader.cancel().catch(() => undefined);
                return { text: text + decoder.decode(), truncated: true };
            }
            read += value.byteLength;
            text += decoder.decode(value, { stream: true });
        }
    }
    catch {
        // A connection dropped mid-body: what arrived is the body (truncated JSON reads as invalid_json).
        return { text: text + decoder.decode(), truncated: false };
    }
    finally {
        reader.releaseLock();
    }
}
/**
 * One error response, read through the contract. Narrow it by `code` or `status`: each operation's
 * error type is a union with one member per (status, code) it declares, plus the reserved members.
 */
export class ApiError extends Error {
    name = 'ApiError';
    kind;
    status;
    code;
    /** The code's structured details, typed per code (`undefined` where the envelope has none). */
    meta;
    /** The code exactly as the server sent it, also for unknown codes; `undefined` when there was none. */
    serverCode;
    /** From the envelope's request id header or body member. */
    requestId;
    /** `Retry-After` in seconds (HTTP-dates converted with the client's clock), if sent. */
    retryAfter;
    /** The parsed body (`undefined` when it was not JSON). */
    body;
    /** The body text as received, kept for logs and for bodies that were not the envelope. */
    rawBody;
    /** The raw response; its body has already been read (use `rawBody`). */
    response;
    /** The operation name the call resolved to, when the path and method are in the contract. */
    operation;
    constructor(init) {
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
export function isApiError(value) {
    return value instanceof ApiError;
}
export const systemClock = {
    now: () => Date.now(),
    random: () => Math.random(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason);
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
/** `Retry-After` as seconds: delta-seconds, or an HTTP-date relative to `now` (never negative). */
export function parseRetryAfter(value, now) {
    if (value == null)
        return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text))
        return Number(text);
    const at = Date.parse(text);
    // Date.parse accepts far more than IMF-fixdate; a day name or GMT is what RFC 9110 dates carry.
    if (Number.isNaN(at) || !/GMT|,/.test(text))
        return undefined;
    return Math.max(0, Math.ceil((at - now) / 1000));
}
function parseBody(text, contentType) {
    if (text.trim() === '')
        return { ok: false, code: ReservedCode.emptyBody };
    try {
        return { ok: true, body: JSON.parse(text) };
    }
    catch {
        const claimsJson = /[/+]json\b/i.test(contentType) || /^\s*[[{]/.test(text);
        return { ok: false, code: claimsJson ? ReservedCode.invalidJson : ReservedCode.notJson };
    }
}
/** The code a body carries, read with the first envelope it fits, if it is JSON. */
export function readCode(contract, text, contentType = '') {
    const parsed = parseBody(text, contentType);
    return parsed.ok ? decode(contract, parsed.body, undefined, 0)?.code : undefined;
}
/**
 * The envelope a body is in and the code it carries: the envelopes of the codes the operation
 * declares under this status are tried first (FastAPI's 422 list), then the others, the default
 * first. A body none of them reads has no code.
 */
function decode(contract, body, operation, status) {
    const codecs = contract.codecs ?? [pointerCodec(contract.envelope)];
    let ordered = codecs;
    if (codecs.length > 1) {
        const op = operation !== undefined && Object.hasOwn(contract.operations, operation) ? contract.operations[operation] : undefined;
        const expected = new Set([...Object.entries(op?.rules ?? {}), ...Object.entries(contract.unrouted ?? {})]
            .filter(([, rule]) => rule?.statuses.includes(status))
            .map(([code]) => (Object.hasOwn(contract.catalog, code) ? contract.catalog[code]?.envelope : undefined) ?? 'default'));
        ordered = [...codecs.filter((c) => expected.has(c.name)), ...codecs.filter((c) => !expected.has(c.name))];
    }
    for (const codec of ordered) {
        const code = readCodeWith(codec, body);
        if (code !== undefined)
            return { codec, code };
    }
    return undefined;
}
/**
 * Does the operation declare `code` with `status`? Its rules already apply OpenAPI's precedence
 * (exact key, then range, then `default`), the same table the server's guard reads. Without an
 * operation, any status the catalog gives the code.
 */
function declares(contract, operation, status, code) {
    const entry = Object.hasOwn(contract.catalog, code) ? contract.catalog[code] : undefined;
    if (!entry)
        return false;
    const op = operation !== undefined && Object.hasOwn(contract.operations, operation) ? contract.operations[operation] : undefined;
    if (!op)
        return entry.status.includes(status);
    // Errors no operation owns come on any call, besides the operation's own.
    const unrouted = contract.unrouted && Object.hasOwn(contract.unrouted, code) ? contract.unrouted[code] : undefined;
    if (unrouted?.statuses.includes(status))
        return true;
    const rule = Object.hasOwn(op.rules, code) ? op.rules[code] : undefined;
    return rule?.statuses.includes(status) ?? false;
}
/** Turns an error response into an `ApiError`; never throws on a malformed body. */
export async function readApiError(contract, response, options = {}) {
    const { text, truncated } = options.text !== undefined ? { text: options.text, truncated: options.truncated ?? false } : await readBodyText(response, options.maxBodyBytes);
    const now = (options.clock ?? systemClock).now();
    // The start of a body is not the body: no code is read from it.
    const parsed = truncated ? { ok: false, code: ReservedCode.bodyTooLarge } : parseBody(text, response.headers.get('content-type') ?? '');
    const body = parsed.ok ? parsed.body : undefined;
    const decoded = parsed.ok ? decode(contract, body, options.operation, response.status) : undefined;
    const codec = decoded?.codec ?? contract.codecs?.[0] ?? pointerCodec(contract.envelope);
    const headerId = codec.requestIdHeader ? response.headers.get(codec.requestIdHeader) : null;
    const bodyId = readAt(body, codec.requestIdBody);
    const common = {
        status: response.status,
        requestId: headerId ?? (typeof bodyId === 'string' || typeof bodyId === 'number' ? String(bodyId) : undefined),
        retryAfter: parseRetryAfter(response.headers.get('retry-after'), now),
        body,
        rawBody: text,
        response,
        operation: options.operation,
    };
    const serverCode = decoded?.code;
    if (!parsed.ok || serverCode === undefined) {
        const code = parsed.ok ? ReservedCode.notEnvelope : parsed.code;
        return new ApiError({ ...common, kind: 'transport', code, serverCode: undefined, meta: undefined, message: transportMessage(code, response) });
    }
    const message = readAt(body, codec.message);
    const known = declares(contract, options.operation, response.status, serverCode);
    const meta = readAt(body, codec.meta);
    const broken = known ? metaProblem(contract, options.operation, response.status, serverCode, meta) : undefined;
    if (broken !== undefined) {
        return new ApiError({ ...common, kind: 'malformed', code: ReservedCode.malformedMeta, serverCode, meta, message: `HTTP ${response.status} ${serverCode} with meta that breaks its schema (${broken})` });
    }
    return new ApiError({
        ...common,
        kind: known ? 'contract' : 'unknown',
        code: known ? serverCode : ReservedCode.unknownCode,
        serverCode,
        meta,
        message: typeof message === 'string' ? message : serverCode,
    });
}
/** Why a declared code's meta is not what its schema (and so its type) says, if it is not. */
function metaProblem(contract, operation, status, code, meta) {
    const op = operation !== undefined && Object.hasOwn(contract.operations, operation) ? contract.operations[operation] : undefined;
    const own = op && Object.hasOwn(op.rules, code) ? op.rules[code] : undefined;
    const unrouted = contract.unrouted && Object.hasOwn(contract.unrouted, code) ? contract.unrouted[code] : undefined;
    const rule = own?.statuses.includes(status) ? own : unrouted?.statuses.includes(status) ? unrouted : own;
    if (meta === undefined)
        return rule?.meta === true ? 'missing' : undefined;
    const schema = contract.metaSchemas && Object.hasOwn(contract.metaSchemas, code) ? contract.metaSchemas[code] : undefined;
    return schema === undefined ? undefined : schemaProblem(meta, schema);
}
function transportMessage(code, response) {
    const what = {
        [ReservedCode.emptyBody]: 'an empty body',
        [ReservedCode.notJson]: `a non-JSON body (${response.headers.get('content-type') ?? 'no content type'})`,
        [ReservedCode.invalidJson]: 'a body that is not valid JSON (truncated?)',
        [ReservedCode.notEnvelope]: 'a JSON body without an error code',
        [ReservedCode.bodyTooLarge]: 'a body larger than the client reads (the rest was left unread)',
    }[code];
    return `HTTP ${response.status} with ${what}`;
}
const DEFAULT_MAX_RETRY_AFTER_MS = 86_400_000;
/** The longest delay `setTimeout` keeps; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** RFC 9110 §9.2.2. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/**
 * Wraps a fetch with retries. Each attempt sends a clone of the original request, so bodies are
 * re-sent intact (a `Request` body can be read once). What is retried:
 * - codes the catalog marks `after` (Retry-After when sent, else backoff) or `backoff`; a code
 *   marked `none` is never retried, even on a 429 with Retry-After;
 * - without a catalog code: 429 and 503 carrying `Retry-After` (seconds or HTTP-date) after exactly
 *   that long; 502/503/504 with backoff; rejected fetches: backoff.
 * Backoff is `min(maxDelayMs, baseDelayMs · 2^(attempt-1))`, with equal jitter (half fixed, half random).
 */
export function withRetry(fetch, contract, options = {}) {
    const clock = { ...systemClock, ...options.clock };
    const maxAttempts = options.maxAttempts ?? 3;
    const maxElapsed = options.maxElapsedMs ?? 60_000;
    const base = options.baseDelayMs ?? 500;
    const cap = options.maxDelayMs ?? 30_000;
    const keyHeader = options.idempotencyKeyHeader ?? 'Idempotency-Key';
    const maxRetryAfter = Math.min(options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS, MAX_TIMER_MS);
    const backoff = (attempt) => {
        const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
        return Math.round(ceiling / 2 + (ceiling / 2) * clock.random());
    };
    async function decide(response, attempt) {
        if (response.ok || response.status < 400)
            return undefined;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
        // Too long a wait is the server saying "not now": no retry rather than an early one.
        const afterWait = retryAfter === undefined ? undefined : retryAfter * 1000 <= maxRetryAfter ? { delay: retryAfter * 1000, reason: 'retry-after' } : null;
        const { text, truncated } = await readBodyText(response.clone(), options.maxErrorBodyBytes);
        const code = truncated ? undefined : readCode(contract, text, response.headers.get('content-type') ?? '');
        const policy = code !== undefined && Object.hasOwn(contract.catalog, code) ? contract.catalog[code].retry : undefined;
        // A catalog code's policy is the contract's word, whatever the status: `retry: none` holds on a
        // 429 too, and `after` without the header falls back to backoff.
        if (policy !== undefined) {
            if (policy === 'after' && afterWait !== undefined)
                return afterWait ?? undefined;
            if (policy === 'after' || policy === 'backoff')
                return { delay: backoff(attempt), reason: 'backoff' };
            return undefined;
        }
        // No catalog code (a proxy's page, a newer server's code): the status and its header decide.
        if ((response.status === 429 || response.status === 503) && afterWait !== undefined)
            return afterWait ?? undefined;
        if ([502, 503, 504].includes(response.status))
            return { delay: backoff(attempt), reason: 'backoff' };
        return undefined;
    }
    return async (request) => {
        const retryable = IDEMPOTENT.has(request.method.toUpperCase()) || options.retryNonIdempotent === true || request.headers.has(keyHeader);
        if (!retryable || maxAttempts <= 1)
            return fetch(request);
        const start = clock.now();
        for (let attempt = 1;; attempt++) {
            if (request.signal?.aborted)
                throw request.signal.reason;
            const last = attempt >= maxAttempts;
            // The original stays unread as the template for the next attempt; one without a body has
            // nothing to read, so it is sent as it is (a clone per call showed in profiles).
            const sending = last || request.body === null ? request : request.clone();
            let response;
            let failure;
            try {
                response = await fetch(sending);
            }
            catch (error) {
                if (last || request.signal?.aborted || options.retryNetworkErrors === false)
                    throw error;
                failure = error;
            }
            if (last)
                return response;
            const next = response ? await decide(response, attempt) : { delay: backoff(attempt), reason: 'network' };
            if (!next || clock.now() - start + next.delay > maxElapsed) {
                if (response)
                    return response;
                throw failure;
            }
            options.onRetry?.({ request, attempt, delayMs: next.delay, reason: next.reason, response, error: failure });
            // Release the connection of the response we are discarding.
            await response?.body?.cancel().catch(() => undefined);
            await clock.sleep(next.delay, request.signal);
        }
    };
}
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];
export function createErrataClient(contract, options = {}) {
    const { retry, throwOnError, clock: clockOption, fetch: baseFetch, maxErrorBodyBytes = DEFAULT_MAX_ERROR_BODY_BYTES, ...rest } = options;
    const clock = { ...systemClock, ...clockOption };
    const transport = baseFetch ?? ((request) => globalThis.fetch(request));
    const fetch = retry === false ? transport : withRetry(transport, contract, { maxErrorBodyBytes, ...retry, clock: { ...clock, ...retry?.clock } });
    const raw = createFetchClient({ ...rest, fetch });
    // openapi-fetch reads a whole error body itself and keeps only a parse or the text. Here at most
    // `maxErrorBodyBytes` of it are read, the exact text kept (to tell empty, HTML and truncated
    // bodies apart), and openapi-fetch is handed a copy with just that text. Registered first, so its
    // onResponse runs last and the copy is the response the caller gets.
    const bodies = new WeakMap();
    raw.use({
        async onResponse({ response }) {
            if (response.ok)
                return undefined;
            const read = await readBodyText(response, maxErrorBodyBytes);
            const copy = new Response(read.text, { status: response.status, statusText: response.statusText, headers: response.headers });
            // A constructed Response has no URL; the caller's response keeps the one it was fetched from.
            Object.defineProperties(copy, { url: { value: response.url }, redirected: { value: response.redirected } });
            bodies.set(copy, read);
            return copy;
        },
    });
    const requestIdHeader = (contract.codecs?.[0] ?? pointerCodec(contract.envelope)).requestIdHeader;
    const index = new Map();
    for (const [name, op] of Object.entries(contract.operations))
        index.set(`${op.method.toUpperCase()} ${op.path}`, name);
    const client = { use: raw.use, eject: raw.eject, raw };
    for (const method of METHODS) {
        client[method] = async (url, init) => {
            // A success body openapi-fetch parses as JSON is kept as text on the way, so one that does not
            // parse becomes an ApiError holding it, not a bare SyntaxError from deep inside the call.
            let success;
            const keepText = {
                async onResponse({ response }) {
                    if (!response.ok || (init?.parseAs ?? 'json') !== 'json' || response.status === 204 || method === 'HEAD')
                        return undefined;
                    const text = await response.text();
                    const copy = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
                    Object.defineProperties(copy, { url: { value: response.url }, redirected: { value: response.redirected } });
                    success = { text, response: copy };
                    return copy;
                },
            };
            let result;
            try {
                result = await raw[method](url, { ...init, middleware: [...(init?.middleware ?? []), keepText] });
            }
            catch (thrown) {
                if (!(thrown instanceof SyntaxError) || success === undefined)
                    throw thrown;
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
                    operation: index.get(`${method} ${url}`),
                });
                if (throwOnError)
                    throw error;
                return { error, response };
            }
            const { response } = result;
            if (response.ok)
                return throwOnError ? { data: result.data, response } : result;
            const read = bodies.get(response) ?? { text: fallbackText(result.error), truncated: false };
            const error = await readApiError(contract, response, { operation: index.get(`${method} ${url}`), text: read.text, truncated: read.truncated, clock });
            if (throwOnError)
                throw error;
            return { error, response };
        };
    }
    return client;
}
function fallbackText(error) {
    if (error === undefined)
        return '';
    return typeof error === 'string' ? error : JSON.stringify(error);
}
/** `{ data, error }` to data, throwing the error: for one throwing call in a non-throwing client. */
export async function unwrap(result) {
    const r = await result;
    if (r.error !== undefined)
        throw r.error;
    return r.data;
}
