/**
 * The error envelope as one codec: where each part of an error body is read and written (code,
 * message, meta, request id, the members that mirror the HTTP status), the constants every body
 * carries, and the envelope's fixed code when its bodies carry none. errata computes it from the
 * contract (generator/model/codec.ts) and emits it as data; the server builds bodies with it and
 * the client reads them with it, so neither has a case of its own for any envelope shape.
 */
/**
 * One step of a path into an error body: a member name, an array index, or the element of an array
 * whose member `where` is the string `is` (Google's `details[]` entry whose `@type` is ErrorInfo).
 */
export type Step = string | number | {
    readonly where: string;
    readonly is: string;
};
export type Path = readonly Step[];
export interface Codec {
    /** `default` for `x-errata.envelope`, else its key under `x-errata.envelopes`. */
    readonly name: string;
    readonly mediaType: string;
    /** Where the code is. Absent when the envelope's bodies carry none and `fixedCode` is the code. */
    readonly code?: Path | undefined;
    readonly fixedCode?: string | undefined;
    readonly message: Path;
    readonly meta?: Path | undefined;
    readonly requestIdHeader?: string | undefined;
    readonly requestIdBody?: Path | undefined;
    /** Members that repeat the HTTP status (RFC 9457 `status`, Google's `error.code`) and its reason phrase (`title`). */
    readonly status?: Path | undefined;
    readonly title?: Path | undefined;
    /** RFC 9457 `type`: set to the code's problem type where it has one. */
    readonly type?: Path | undefined;
    /** Members the server supplies per response through a hook, by the pointer the contract wrote. */
    readonly live?: readonly {
        readonly pointer: string;
        readonly path: Path;
    }[] | undefined;
    /**
     * Every body before its parts are set: constants and defaults, and `null` where the runtime writes
     * a value, all in the schema's member order, so a body serialises as the contract documents it.
     */
    readonly base: unknown;
}
type Json = Record<string, unknown>;
/** The value at `path`, through own members only (an inherited `constructor` is not a member); one pass. */
export declare function readAt(body: unknown, path: Path | undefined): unknown;
/**
 * Sets `value` at `path`, creating what is missing on the way (an object, an array, the element a
 * match names, with its matched member). Members are own data properties (`defineProperty`, never
 * `obj[key] =`): a `__proto__` step makes a member named so and never reaches a prototype. Where a
 * member exists, its place in the body is kept.
 */
export declare function writeAt(body: Json, path: Path, value: unknown): void;
/** Removes the member at `path` (an optional part left unset: meta not given). */
export declare function removeAt(body: unknown, path: Path): void;
/**
 * Writes `meta` at `path`: into the object the base already has there, member by member (FastAPI's
 * `detail[0]` holds the message beside the meta members `loc` and `type`, in schema order), or as
 * the whole value where there is none.
 */
export declare function writeMeta(body: Json, path: Path, meta: unknown): void;
/** The code a body carries: at the codec's code path, or its fixed code when the body is this envelope. */
export declare function readCodeWith(codec: Codec, body: unknown): string | undefined;
/**
 * `target[key] = value` as an own data property, also for a key named `__proto__`. A plain
 * assignment where it is one (an own member, or a name no prototype has): `defineProperty` costs
 * several times more, and a body sets a dozen members per response.
 */
export declare function defineOwn(target: Json, key: string, value: unknown): void;
/** The single envelope of a contract table written before codecs (plain member pointers). */
export interface EnvelopePointers {
    readonly mediaType: string;
    readonly code: readonly string[];
    readonly message: readonly string[];
    readonly meta: readonly string[] | undefined;
    readonly requestIdHeader: string | undefined;
    readonly requestIdBody: readonly string[] | undefined;
}
/** A codec for a table that gives only `envelope` pointers (members, no arrays), e.g. one written by hand. */
export declare function pointerCodec(envelope: EnvelopePointers, extra?: Partial<Codec>): Codec;
/** What one error body says; `encode` puts each part where the codec keeps it. */
export interface BodyParts {
    code: string;
    status: number;
    message: string;
    /** The status's reason phrase, for a `title` mirror. */
    title: string;
    meta?: unknown;
    requestId?: string | undefined;
    /** RFC 9457 problem type of the code, if it has one. */
    type?: string | undefined;
    /** The value of each live member, by its pointer. */
    live?: ((pointer: string) => unknown) | undefined;
}
/**
 * The error body for `parts`: the codec's base with each part written where the envelope keeps
 * it. The server sends it; errata's bundled examples are built with it too, so they show what the
 * server sends, member order included.
 */
export declare function encode(codec: Codec, parts: BodyParts): Record<string, unknown>;
export {};
