/**
 * The error envelope as one codec: where each part of an error body is read and written (code,
 * message, meta, request id, the members that mirror the HTTP status), the constants every body
 * carries, and the envelope's fixed code when its bodies carry none. errata computes it from the
 * contract (generator/model/codec.ts) and emits it as data; the server builds bodies with it and
 * the client reads them with it, so neither has a case of its own for any envelope shape.
 */
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** The element index a step names in `array` (a match scans it once), or -1. */
function indexOf(array, step) {
    if (typeof step === 'number')
        return step < array.length ? step : -1;
    return array.findIndex((e) => isObject(e) && Object.hasOwn(e, step.where) && e[step.where] === step.is);
}
/** The value at `path`, through own members only (an inherited `constructor` is not a member); one pass. */
export function readAt(body, path) {
    if (!path)
        return undefined;
    let at = body;
    for (const step of path) {
        if (typeof step === 'string') {
            if (!isObject(at) || !Object.hasOwn(at, step))
                return undefined;
            at = at[step];
        }
        else {
            if (!Array.isArray(at))
                return undefined;
            const i = indexOf(at, step);
            if (i === -1)
                return undefined;
            at = at[i];
        }
    }
    return at;
}
/**
 * Sets `value` at `path`, creating what is missing on the way (an object, an array, the element a
 * match names, with its matched member). Members are own data properties (`defineProperty`, never
 * `obj[key] =`): a `__proto__` step makes a member named so and never reaches a prototype. Where a
 * member exists, its place in the body is kept.
 */
export function writeAt(body, path, value) {
    let at = body;
    // A plain loop: this runs for each part of every response, and a closure per step showed in profiles.
    for (let i = 0; i < path.length; i++) {
        const step = path[i];
        const last = i === path.length - 1;
        const next = path[i + 1];
        if (typeof step === 'string') {
            const obj = at;
            const current = Object.hasOwn(obj, step) ? obj[step] : undefined;
            if (last || !fits(current, next))
                defineOwn(obj, step, fresh(last, next, value));
            at = obj[step];
            continue;
        }
        const array = at;
        let index = indexOf(array, step);
        if (index === -1) {
            index = typeof step === 'number' ? Math.min(step, array.length) : array.length;
            array[index] = typeof step === 'number' ? fresh(last, next, value) : matchElement(step);
        }
        if (last)
            array[index] = value;
        else if (!fits(array[index], next))
            array[index] = typeof step === 'number' ? fresh(last, next, value) : matchElement(step);
        at = array[index];
    }
}
/** What a missing step becomes: the value at the last step, else the container the next step needs. */
function fresh(last, next, value) {
    return last ? value : typeof next === 'string' ? {} : [];
}
function fits(current, next) {
    return typeof next === 'string' ? isObject(current) : Array.isArray(current);
}
function matchElement(step) {
    const element = {};
    defineOwn(element, step.where, step.is);
    return element;
}
/** Removes the member at `path` (an optional part left unset: meta not given). */
export function removeAt(body, path) {
    const parent = readAt(body, path.slice(0, -1));
    const last = path[path.length - 1];
    if (typeof last === 'string' && isObject(parent) && Object.hasOwn(parent, last))
        delete parent[last];
}
/**
 * Writes `meta` at `path`: into the object the base already has there, member by member (FastAPI's
 * `detail[0]` holds the message beside the meta members `loc` and `type`, in schema order), or as
 * the whole value where there is none.
 */
export function writeMeta(body, path, meta) {
    const current = readAt(body, path);
    if (isObject(current) && isObject(meta))
        for (const [k, v] of Object.entries(meta))
            defineOwn(current, k, v);
    else
        writeAt(body, path, meta);
}
/** The code a body carries: at the codec's code path, or its fixed code when the body is this envelope. */
export function readCodeWith(codec, body) {
    if (codec.code) {
        const code = readAt(body, codec.code);
        return typeof code === 'string' ? code : undefined;
    }
    // A body carries an envelope's fixed code when it has the envelope's shape: a message where it keeps one.
    return typeof readAt(body, codec.message) === 'string' ? codec.fixedCode : undefined;
}
/**
 * `target[key] = value` as an own data property, also for a key named `__proto__`. A plain
 * assignment where it is one (an own member, or a name no prototype has): `defineProperty` costs
 * several times more, and a body sets a dozen members per response.
 */
export function defineOwn(target, key, value) {
    if (Object.hasOwn(target, key) || !(key in target))
        target[key] = value;
    else
        Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
/**
 * A fresh copy of a JSON value (a codec's `base`: constants, defaults, nulls), members in order,
 * each an own data member (`defineOwn`). Per response this is cheaper than `structuredClone`.
 */
function copyJson(value) {
    if (typeof value !== 'object' || value === null)
        return value;
    if (Array.isArray(value))
        return value.map(copyJson);
    const out = {};
    for (const key of Object.keys(value))
        defineOwn(out, key, copyJson(value[key]));
    return out;
}
/** A codec for a table that gives only `envelope` pointers (members, no arrays), e.g. one written by hand. */
export function pointerCodec(envelope, extra = {}) {
    return {
        name: 'default',
        mediaType: envelope.mediaType,
        code: envelope.code,
        message: envelope.message,
        meta: envelope.meta,
        requestIdHeader: envelope.requestIdHeader,
        requestIdBody: envelope.requestIdBody,
        base: {},
        ...extra,
    };
}
/**
 * The error body for `parts`: the codec's base with each part written where the envelope keeps
 * it. The server sends it; errata's bundled examples are built with it too, so they show what the
 * server sends, member order included.
 */
export function encode(codec, parts) {
    const body = copyJson(codec.base ?? {});
    if (codec.code)
        writeAt(body, codec.code, parts.code);
    writeAt(body, codec.message, parts.message);
    if (codec.meta && parts.meta !== undefined)
        writeMeta(body, codec.meta, parts.meta);
    else if (codec.meta && readAt(body, codec.meta) === null)
        removeAt(body, codec.meta);
    if (codec.requestIdBody && parts.requestId !== undefined)
        writeAt(body, codec.requestIdBody, parts.requestId);
    if (codec.status)
        writeAt(body, codec.status, parts.status);
    if (codec.title)
        writeAt(body, codec.title, parts.title);
    if (codec.type && parts.type !== undefined)
        writeAt(body, codec.type, parts.type);
    if (codec.live)
        for (const member of codec.live)
            writeAt(body, member.path, parts.live?.(member.pointer));
    return body;
}
