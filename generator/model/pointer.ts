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
  return !PROTOTYPE_KEYS.has(token);
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
