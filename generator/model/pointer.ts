/** JSON Pointer (RFC 6901, https://www.rfc-editor.org/rfc/rfc6901) helpers. */

export function parsePointer(pointer: string): string[] {
  const p = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Names that reach an object's prototype machinery when used as a property key in JavaScript:
 * a pointer through them written with `obj[token] = …` pollutes `Object.prototype`.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether `token` may name a member that errata reads or writes by pointer (envelope fields). */
export function isSafeToken(token: string): boolean {
  const match = matchToken(token);
  return !PROTOTYPE_KEYS.has(token) && (match === undefined || !PROTOTYPE_KEYS.has(match.where));
}

/**
 * errata's one extension of RFC 6901, for envelopes that keep a part inside a list: where the
 * schema at a step is an array, a token `[member=value]` names the element whose `member` is the
 * string `value` (`/error/details/[@type=type.googleapis.com~1google.rpc.ErrorInfo]/reason`), as
 * a decimal token names an element by index. Where the schema is an object, every token is a
 * member name, as in RFC 6901. The value is the rest of the token: `~1` and `~0` escape `/` and `~`.
 */
export function matchToken(token: string): { where: string; is: string } | undefined {
  if (!token.startsWith('[') || !token.endsWith(']')) return undefined;
  const eq = token.indexOf('=');
  if (eq < 2) return undefined;
  return { where: token.slice(1, eq), is: token.slice(eq + 1, -1) };
}

/** An array index token (RFC 6901 §4: decimal, no leading zeros). */
export function indexToken(token: string): number | undefined {
  return /^(?:0|[1-9][0-9]{0,8})$/.test(token) ? Number(token) : undefined;
}

/** The node at `tokens`, through own properties only (an inherited `constructor` is not a member). */
export function getAt(root: unknown, tokens: readonly string[]): unknown {
  let at: unknown = root;
  for (const t of tokens) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, t)) return undefined;
    at = (at as Record<string, unknown>)[t];
  }
  return at;
}

/**
 * Sets `value` at `tokens`, creating objects on the way. Every step is an own data property
 * (`defineProperty`, never `obj[key] =`), so even a `__proto__` token stays data and nothing reaches
 * a prototype.
 */
export function setAt(root: Record<string, unknown>, tokens: readonly string[], value: unknown): void {
  let at = root;
  tokens.forEach((t, i) => {
    if (i === tokens.length - 1) return defineOwn(at, t, value);
    const next = Object.hasOwn(at, t) ? at[t] : undefined;
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) at = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      defineOwn(at, t, created);
      at = created;
    }
  });
}

/** `target[key] = value` as an own data property, also for a key named `__proto__`. */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
