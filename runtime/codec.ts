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
export type Step = string | number | { readonly where: string; readonly is: string };
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
  readonly live?: readonly { readonly pointer: string; readonly path: Path }[] | undefined;
  /**
   * Every body before its parts are set: constants and defaults, and `null` where the runtime writes
   * a value, all in the schema's member order, so a body serialises as the contract documents it.
   */
  readonly base: unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The element index a step names in `array` (a match scans it once), or -1. */
function indexOf(array: readonly unknown[], step: Exclude<Step, string>): number {
  if (typeof step === 'number') return step < array.length ? step : -1;
  return array.findIndex((e) => isObject(e) && Object.hasOwn(e, step.where) && e[step.where] === step.is);
}

/** The value at `path`, through own members only (an inherited `constructor` is not a member); one pass. */
export function readAt(body: unknown, path: Path | undefined): unknown {
  if (!path) return undefined;
  let at = body;
  for (const step of path) {
    if (typeof step === 'string') {
      if (!isObject(at) || !Object.hasOwn(at, step)) return undefined;
      at = at[step];
    } else {
      if (!Array.isArray(at)) return undefined;
      const i = indexOf(at, step);
      if (i === -1) return undefined;
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
export function writeAt(body: Json, path: Path, value: unknown): void {
  let at: unknown = body;
  // A plain loop: this runs for each part of every response, and a closure per step showed in profiles.
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const last = i === path.length - 1;
    const next = path[i + 1];
    if (typeof step === 'string') {
      const obj = at as Json;
      const current = Object.hasOwn(obj, step) ? obj[step] : undefined;
      if (last || !fits(current, next)) defineOwn(obj, step, fresh(last, next, value));
      at = obj[step];
      continue;
    }
    const array = at as unknown[];
    let index = indexOf(array, step);
    if (index === -1) {
      index = typeof step === 'number' ? Math.min(step, array.length) : array.length;
      array[index] = typeof step === 'number' ? fresh(last, next, value) : matchElement(step);
    }
    if (last) array[index] = value;
    else if (!fits(array[index], next)) array[index] = typeof step === 'number' ? fresh(last, next, value) : matchElement(step);
    at = array[index];
  }
}

/** What a missing step becomes: the value at the last step, else the container the next step needs. */
function fresh(last: boolean, next: Step | undefined, value: unknown): unknown {
  return last ? value : typeof next === 'string' ? {} : [];
}

function fits(current: unknown, next: Step | undefined): boolean {
  return typeof next === 'string' ? isObject(current) : Array.isArray(current);
}

function matchElement(step: { where: string; is: string }): Json {
  const element: Json = {};
  defineOwn(element, step.where, step.is);
  return element;
}

/** Removes the member at `path` (an optional part left unset: meta not given). */
export function removeAt(body: unknown, path: Path): void {
  const parent = readAt(body, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'string' && isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
}

/**
 * Writes `meta` at `path`: into the object the base already has there, member by member (FastAPI's
 * `detail[0]` holds the message beside the meta members `loc` and `type`, in schema order), or as
 * the whole value where there is none.
 */
export function writeMeta(body: Json, path: Path, meta: unknown): void {
  const current = readAt(body, path);
  if (isObject(current) && isObject(meta)) for (const [k, v] of Object.entries(meta)) defineOwn(current, k, v);
  else writeAt(body, path, meta);
}

/** The code a body carries: at the codec's code path, or its fixed code when the body is this envelope. */
export function readCodeWith(codec: Codec, body: unknown): string | undefined {
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
export function defineOwn(target: Json, key: string, value: unknown): void {
  if (Object.hasOwn(target, key) || !(key in target)) target[key] = value;
  else Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * A fresh copy of a JSON value (a codec's `base`: constants, defaults, nulls), members in order,
 * each an own data member (`defineOwn`). Per response this is cheaper than `structuredClone`.
 */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const out: Json = {};
  for (const key of Object.keys(value)) defineOwn(out, key, copyJson((value as Json)[key]));
  return out;
}

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
export function pointerCodec(envelope: EnvelopePointers, extra: Partial<Codec> = {}): Codec {
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
export function encode(codec: Codec, parts: BodyParts): Record<string, unknown> {
  const body = copyJson(codec.base ?? {}) as Json;
  if (codec.code) writeAt(body, codec.code, parts.code);
  writeAt(body, codec.message, parts.message);
  if (codec.meta && parts.meta !== undefined) writeMeta(body, codec.meta, parts.meta);
  else if (codec.meta && readAt(body, codec.meta) === null) removeAt(body, codec.meta);
  if (codec.requestIdBody && parts.requestId !== undefined) writeAt(body, codec.requestIdBody, parts.requestId);
  if (codec.status) writeAt(body, codec.status, parts.status);
  if (codec.title) writeAt(body, codec.title, parts.title);
  if (codec.type && parts.type !== undefined) writeAt(body, codec.type, parts.type);
  if (codec.live) for (const member of codec.live) writeAt(body, member.path, parts.live?.(member.pointer));
  return body;
}

/** What an error body says that changes from one response to the next of the same code and status. */
export interface RequestParts {
  /** A message the builder was given, in place of the code's. */
  message?: string | undefined;
  requestId: string;
  live?: ((pointer: string) => unknown) | undefined;
}

/**
 * `encode` made once per code and status: the body with its per-request members (message, request
 * id, live members) at their places, which each response copies and fills (`fill`). A copy of a
 * small object costs a fraction of building it member by member, and this runs per response.
 */
export interface Template {
  readonly body: Json;
  /** Every member's value is a primitive: a one-level copy is a whole one. */
  readonly flat: boolean;
}

/**
 * The template of `parts` (no `meta`: a body with meta is built by `encode`), or `undefined` where
 * a per-request member has no place of its own in the body (its path runs into another part's),
 * so filling a copy could differ from `encode`.
 */
export function template(codec: Codec, parts: Omit<BodyParts, 'meta' | 'requestId' | 'live'>): Template | undefined {
  const perRequest = [codec.message, ...(codec.requestIdBody ? [codec.requestIdBody] : []), ...(codec.live ?? []).map((m) => m.path)];
  const fixed = [codec.code, codec.status, codec.title, parts.type !== undefined ? codec.type : undefined].filter((p): p is Path => p !== undefined);
  for (const [i, path] of perRequest.entries()) {
    const others = [...fixed, ...perRequest.filter((_, j) => j !== i)];
    if (others.some((other) => related(path, other))) return undefined;
  }
  // Placeholders put each per-request member where `encode` puts it; every response overwrites them.
  const built = encode(codec, { ...parts, requestId: '', live: () => null });
  if (perRequest.some((path) => readAt(built, path) === undefined)) return undefined;
  const body = copyJson(built) as Json;
  return { body, flat: Object.values(body).every((v) => typeof v !== 'object' || v === null) };
}

/** A body from `t`: its copy, with this response's message (when given), request id and live members. */
export function fill(codec: Codec, t: Template, parts: RequestParts): Json {
  const body = t.flat ? { ...t.body } : (copyJson(t.body) as Json);
  if (parts.message !== undefined) writeAt(body, codec.message, parts.message);
  if (codec.requestIdBody) writeAt(body, codec.requestIdBody, parts.requestId);
  if (codec.live) for (const member of codec.live) writeAt(body, member.path, parts.live?.(member.pointer));
  return body;
}

/** One path runs into the other (equal, or one is the start of the other); array steps that may name one element count as equal. */
function related(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' || typeof y === 'string' ? x !== y : false) return false;
  }
  return true;
}
