/**
 * Server-side error responses for an errata contract. Framework-neutral: every builder returns a
 * plain `{ status, headers, body }`, which `toResponse` turns into a Web `Response` and `send`
 * writes to a Node `http.ServerResponse`. The generated `server.ts` supplies the contract tables
 * and the per-operation input types; this file holds no spec strings.
 */
import { encode, pointerCodec } from './codec.js';
import { schemaProblem } from './schema-check.js';
/** Per operation, per declared code, its rule, as the contract tables carry it. */
export function operationRules(contract) {
    return Object.fromEntries(Object.entries(contract.operations).map(([operation, info]) => [operation, info.rules]));
}
/** An outgoing error that its operation does not declare. Thrown by the guard. */
export class ContractViolation extends Error {
    name = 'ContractViolation';
    // Plain fields, not parameter properties: generated code must compile under `erasableSyntaxOnly`.
    operation;
    code;
    status;
    constructor(operation, code, status, reason) {
        super(`errata guard: ${operation} cannot return ${code}${status === undefined ? '' : ` with status ${status}`}: ${reason}`);
        this.operation = operation;
        this.code = code;
        this.status = status;
    }
}
const REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;
/** What the guard calls the unrouted errors' builder in its messages. */
const UNROUTED = 'x-errata.unrouted';
/** Where a request scope's `errors` keeps its request id and the builders bound to it so far. */
const SCOPE_ID = Symbol('errata.requestId');
const SCOPE_BOUND = Symbol('errata.bound');
export function createServerErrors(contract, options = {}) {
    const env = contract.envelope;
    // Read through globalThis so the file compiles and runs where there is no `process` (workers, Deno).
    const nodeEnv = globalThis.process?.env?.['NODE_ENV'];
    const guard = options.guard ?? nodeEnv !== 'production';
    const incomingHeader = (options.requestIdHeader ?? env.requestIdHeader ?? 'x-request-id').toLowerCase();
    const newId = options.generateRequestId ?? (() => `req_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`);
    if (options.internalCode !== undefined) {
        const entry = Object.hasOwn(contract.catalog, options.internalCode) ? contract.catalog[options.internalCode] : undefined;
        const what = `errata: internalCode ${JSON.stringify(options.internalCode)}`;
        if (!entry)
            throw new TypeError(`${what} is not a catalog code`);
        if (!entry.status.some(isServerError))
            throw new TypeError(`${what} has no 5xx status in the catalog (only ${entry.status.join(', ')})`);
    }
    const internalCode = options.internalCode ?? contract.internalCode;
    // The catalog's 500 when it gives the code one, else its first 5xx: the status its responses declare.
    const internalStatuses = internalCode === undefined ? [] : (contract.catalog[internalCode]?.status ?? []);
    const internalStatus = internalStatuses.includes(500) ? 500 : (internalStatuses.find(isServerError) ?? 500);
    const logUnexpected = (error, info) => console.error(`[errata] unexpected error in request ${info.requestId}:`, error);
    const hook = options.onUnexpected ?? logUnexpected;
    function onUnexpected(error, info) {
        try {
            hook(error, info);
        }
        catch (hookError) {
            logUnexpected(error, info);
            console.error(`[errata] onUnexpected threw while reporting request ${info.requestId}:`, hookError);
        }
    }
    const table = operationRules(contract);
    const codecs = contract.codecs ?? [
        pointerCodec(env, {
            base: contract.base ?? {},
            status: contract.statusMember,
            title: contract.titleMember,
            type: contract.typeMember,
            live: (contract.live ?? []).map((pointer) => ({ pointer, path: pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')) })),
        }),
    ];
    const byName = new Map(codecs.map((c) => [c.name, c]));
    const codecOf = (code) => byName.get((Object.hasOwn(contract.catalog, code) ? contract.catalog[code]?.envelope : undefined) ?? 'default') ?? codecs[0];
    // Never ship sample data: a live member's value comes from the server's hook, or nothing is built.
    const liveHooks = new Map();
    for (const { pointer } of codecs.flatMap((c) => c.live ?? [])) {
        const hook = options.live && Object.hasOwn(options.live, pointer) ? options.live[pointer] : undefined;
        if (typeof hook !== 'function')
            throw new TypeError(`errata: the envelope member ${pointer} is live; pass createServerErrors({ live: { '${pointer}': (error) => … } })`);
        liveHooks.set(pointer, hook);
    }
    function requestId(request) {
        const raw = request ? headerOf(request, incomingHeader) : undefined;
        // An id a client sent is echoed into headers and logs, so only a plain token is trusted.
        return raw !== undefined && REQUEST_ID.test(raw) ? raw : newId();
    }
    function baseHeaders(id, codec = codecs[0]) {
        const header = codec.requestIdHeader ?? env.requestIdHeader;
        return header ? { [header.toLowerCase()]: id } : {};
    }
    function build(code, status, input, id) {
        const codec = codecOf(code);
        const body = encode(codec, {
            code,
            status,
            message: typeof input.message === 'string' ? input.message : wireMessage(contract.catalog[code]?.message, status),
            title: reasonPhrase(status),
            meta: input.meta,
            requestId: id,
            type: contract.catalog[code]?.type,
            // A closure only for an envelope with live members: most have none, and this runs per response.
            live: codec.live?.length ? (pointer) => liveHooks.get(pointer)({ code, status, requestId: id }) : undefined,
        });
        const headers = { 'content-type': codec.mediaType, ...ERROR_HEADERS };
        const idHeader = codec.requestIdHeader ?? env.requestIdHeader;
        if (idHeader)
            headers[idHeader.toLowerCase()] = id;
        if (input.retryAfter !== undefined)
            headers['retry-after'] = String(retrySeconds(input.retryAfter));
        if (input.headers)
            for (const [k, v] of Object.entries(input.headers))
                headers[k.toLowerCase()] = v;
        if (status === 401 && options.challenge !== undefined && headers['www-authenticate'] === undefined)
            headers['www-authenticate'] = options.challenge;
        return { status, headers, body, code, requestId: id };
    }
    function check(operation, input) {
        return checkRule(operation, table[operation], input);
    }
    /** The unrouted builder's check: an operation's, plus the headers the code's responses declare. */
    function checkUnrouted(input) {
        const rules = contract.unrouted ?? {};
        const status = checkRule(UNROUTED, rules, input);
        const code = String(input.code);
        const rule = Object.hasOwn(rules, code) ? rules[code] : undefined;
        const given = lower(input.headers ?? {});
        const missing = (rule?.headers ?? []).filter((h) => typeof given[h] !== 'string');
        if (guard && missing.length > 0)
            throw new ContractViolation(UNROUTED, code, status, `its response declares ${missing.join(', ')}; pass \`headers: { ${missing.map((h) => `'${h}': …`).join(', ')} }\``);
        return status;
    }
    function checkRule(operation, rules, input) {
        const code = String(input.code);
        const rule = rules && Object.hasOwn(rules, code) ? rules[code] : undefined;
        const status = typeof input.status === 'number' ? input.status : undefined;
        if (!rule) {
            if (guard)
                throw new ContractViolation(operation, code, status, `the operation declares ${Object.keys(rules ?? {}).join(', ') || 'no codes'}`);
            return status ?? contract.catalog[code]?.status[0] ?? 500;
        }
        if (guard) {
            const fail = (reason) => {
                throw new ContractViolation(operation, code, status, reason);
            };
            if (status === undefined && rule.statuses.length > 1)
                fail(`the code is declared under ${rule.statuses.join(' and ')}; pass \`status\``);
            if (status !== undefined && !rule.statuses.includes(status))
                fail(`the operation declares it under ${rule.statuses.join(', ')} only`);
            if (rule.meta && (typeof input.meta !== 'object' || input.meta === null || Array.isArray(input.meta)))
                fail('its `meta` is required and must be an object');
            if (input.meta !== undefined && !codecOf(code).meta)
                fail('the envelope has no place for `meta`');
            const metaSchema = input.meta !== undefined && contract.metaSchemas && Object.hasOwn(contract.metaSchemas, code) ? contract.metaSchemas[code] : undefined;
            const broken = metaSchema === undefined ? undefined : schemaProblem(input.meta, metaSchema);
            if (broken !== undefined)
                fail(`its \`meta\` does not match the code's meta schema (${broken})`);
            if (rule.retryAfter && input.retryAfter === undefined)
                fail('the response requires a Retry-After header; pass `retryAfter`');
            if (input.retryAfter !== undefined && !Number.isFinite(retrySecondsRaw(input.retryAfter)))
                fail('`retryAfter` must be a number of seconds or a valid Date');
        }
        return status ?? rule.statuses[0];
    }
    /** One operation's builder, without a request scope (`id` undefined) or within one. */
    function run(operation, input, id) {
        const status = check(operation, input);
        const chosen = typeof input.requestId === 'string' ? input.requestId : input.request ? requestId(input.request) : (id ?? newId());
        return build(String(input.code), status, input, chosen);
    }
    function runUnrouted(input, id) {
        const status = checkUnrouted(input);
        const chosen = typeof input.requestId === 'string' ? input.requestId : input.request ? requestId(input.request) : (id ?? newId());
        return build(String(input.code), status, input, chosen);
    }
    const operationNames = Object.keys(table);
    // Null prototypes: an operation named like an Object.prototype member stays an operation.
    const errors = Object.create(null);
    for (const operation of operationNames)
        errors[operation] = (input) => run(operation, input, undefined);
    // Every scope's `errors` inherits these getters, made once here; a scope binds a builder to its
    // id the first time it is read. Opening a scope (every request, in `fetch`/`node`) so costs two
    // small objects, not one closure per operation.
    const scopedErrors = Object.create(null);
    for (const operation of operationNames) {
        Object.defineProperty(scopedErrors, operation, {
            enumerable: true,
            get() {
                const bound = (this[SCOPE_BOUND] ??= Object.create(null));
                return (bound[operation] ??= (input) => run(operation, input, this[SCOPE_ID]));
            },
        });
    }
    function internal(error, opts = {}) {
        const id = opts.requestId ?? requestId(opts.request);
        if (error !== undefined)
            onUnexpected(error, { requestId: id });
        return internalResult(id);
    }
    /** The internal error for a caught exception, whatever was thrown (`throw undefined` too). */
    function caught(error, id) {
        onUnexpected(error, { requestId: id });
        return internalResult(id);
    }
    function internalResult(id) {
        const result = internalCode === undefined
            ? { status: 500, headers: { ...ERROR_HEADERS, ...baseHeaders(id) }, body: undefined, code: undefined, requestId: id }
            : // The message is always the catalog's: an exception's message can hold secrets or internals.
                build(internalCode, internalStatus, {}, id);
        // The generated server.ts narrows `Internal` to `ErrorResult` only for a contract with an internal code.
        return result;
    }
    function forRequest(request) {
        const id = requestId(request);
        const scoped = Object.create(scopedErrors);
        scoped[SCOPE_ID] = id;
        return {
            requestId: id,
            errors: scoped,
            unrouted: ((input) => runUnrouted(input, id)),
            headers: (extra = {}) => ({ ...baseHeaders(id), ...lower(extra) }),
            json: (status, body, headers = {}) => ({ status, headers: { 'content-type': 'application/json', ...baseHeaders(id), ...lower(headers) }, body }),
            text: (status, text, contentType = 'text/plain; charset=utf-8', headers = {}) => ({ status, headers: { 'content-type': contentType, ...baseHeaders(id), ...lower(headers) }, body: text }),
            internal: (error) => internal(error, { requestId: id }),
        };
    }
    return {
        errors: errors,
        unrouted: ((input) => runUnrouted(input, undefined)),
        requestId,
        forRequest,
        internal,
        fetch: (handler) => async (request) => {
            const scope = forRequest(request);
            try {
                const out = await handler(request, scope);
                return out instanceof Response ? addMissingHeaders(out, scope.headers()) : toResponse(out);
            }
            catch (error) {
                return toResponse(caught(error, scope.requestId));
            }
        },
        node: (handler) => async (req, res) => {
            const scope = forRequest(req);
            try {
                const out = await handler(req, res, scope);
                if (out)
                    send(res, out);
            }
            catch (error) {
                const result = caught(error, scope.requestId);
                // Once a status line is out there is no honest way to turn it into an error: cut the connection.
                if (res.headersSent)
                    res.destroy();
                else
                    send(res, result);
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
export function addMissingHeaders(response, headers) {
    const missing = Object.entries(headers).filter(([name]) => !response.headers.has(name));
    if (missing.length === 0)
        return response;
    try {
        for (const [name, value] of missing)
            response.headers.set(name, value);
        return response;
    }
    catch {
        let copy;
        try {
            copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
        }
        catch {
            return response;
        }
        for (const [name, value] of missing)
            copy.headers.set(name, value);
        return copy;
    }
}
/** A Web `Response` for a result. */
export function toResponse(result) {
    return new Response(serialize(result) ?? null, { status: result.status, headers: result.headers });
}
const UTF8 = new TextEncoder();
/**
 * Writes a result to Node's `http.ServerResponse` (or anything shaped like it). `byteLength` counts
 * the body's UTF-8 bytes for Content-Length: the Node adapter passes `Buffer.byteLength`, which
 * counts without encoding; the default is web-standard.
 */
export function send(res, result, byteLength = utf8Length) {
    const text = serialize(result);
    const headers = { ...result.headers };
    headers['content-length'] = String(text === undefined ? 0 : byteLength(text));
    res.writeHead(result.status, headers);
    res.end(text);
}
function utf8Length(text) {
    return UTF8.encode(text).byteLength;
}
/**
 * The body as its content type says: JSON media types (`+json` too) are serialised, text is sent as
 * is. Only a string body needs its content type looked up: anything else is JSON whatever it says.
 */
function serialize(result) {
    const body = result.body;
    if (body === undefined)
        return undefined;
    if (typeof body !== 'string')
        return JSON.stringify(body);
    const type = Object.entries(result.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    return /[/+]json\b/i.test(type) ? JSON.stringify(body) : body;
}
function headerOf(request, name) {
    const h = request.headers;
    if (typeof h.get === 'function')
        return h.get(name) ?? undefined;
    const v = h[name];
    return Array.isArray(v) ? v[0] : v;
}
function lower(headers) {
    return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
function isServerError(status) {
    return status >= 500 && status <= 599;
}
function retrySecondsRaw(value) {
    return value instanceof Date ? (value.getTime() - Date.now()) / 1000 : value;
}
/** Whole seconds, at least 1: a 0 would invite an immediate retry storm. */
function retrySeconds(value) {
    const s = retrySecondsRaw(value);
    return Number.isFinite(s) ? Math.max(1, Math.ceil(s)) : 1;
}
/**
 * The human message sent for a code when the builder gets none: the catalog's `message`, else the
 * status's reason phrase. Never the `description`, which is documentation. errata's examples in
 * the bundled contract use this same function, so they show what the server sends.
 */
export function wireMessage(message, status) {
    return message ?? reasonPhrase(status);
}
/** RFC 9110's reason phrase of a status (`Not Found`), or `HTTP 599` for one it does not name. */
export function reasonPhrase(status) {
    return REASON[status] ?? `HTTP ${status}`;
}
/**
 * Sent with every error response: the body is JSON built partly from the request (ids, messages),
 * and no browser may sniff it into HTML.
 */
const ERROR_HEADERS = { 'x-content-type-options': 'nosniff' };
/** RFC 9110 reason phrases: RFC 9457 §4.2.1 says an `about:blank` problem's title is the status phrase. */
const REASON = {
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
