/** Identifiers derived from spec strings. Codes are validated against CODE_PATTERN first. */

export const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

// `constructor` and `__proto__` are names with a meaning as unquoted object keys too.
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private protected public static yield any boolean number string symbol type of await async constructor __proto__'.split(' '),
);

/** `QUOTA_EXCEEDED` → `QuotaExceeded`; `get /v1/images/{id}` → `GetV1ImagesId`. */
export function pascalCase(raw: string): string {
  const words = raw.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('');
  return /^[0-9]/.test(name) ? `_${name}` : name || '_';
}

/** A safe TypeScript identifier for an operation: keeps camelCase operationIds as written. */
export function identifier(raw: string): string {
  let id = raw.replace(/[^A-Za-z0-9_$]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}_`;
  return id;
}

/**
 * Catalog codes close to a mistyped one, best first (at most three): one or two edits away
 * (`FORBIDEN` → FORBIDDEN), one containing the other (`NOT_FOUND_ERROR` → NOT_FOUND), or sharing
 * at least half their words (`DOC_HASH_DUPE` → DOC_HASH_DUPLICATE).
 */
export function suggestCodes(code: string, known: Iterable<string>): string[] {
  const words = code.split('_');
  const score = (k: string) => {
    // Short strings are near everything: `A` is in most codes, and `AB` is two edits from `CD`.
    const shorter = Math.min(k.length, code.length);
    if (shorter >= 3 && (k.includes(code) || code.includes(k) || distance(k, code) <= (shorter >= 6 ? 2 : 1))) return 1;
    const theirs = k.split('_');
    const shared = words.filter((w) => theirs.includes(w)).length;
    return shared / Math.max(words.length, theirs.length);
  };
  return [...known]
    .map((k) => ({ k, s: score(k) }))
    .filter((x) => x.s >= 0.5)
    .sort((a, b) => b.s - a.s || distance(a.k, code) - distance(b.k, code) || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map((x) => x.k);
}

/** Levenshtein distance: typos are one or two edits away. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** Known names close to a mistyped key (`retyr` → retry, `mesage` → message), best first. */
export function suggestNames(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const limit = lower.length <= 3 ? 1 : 2;
  return known
    .map((k) => ({ k, d: distance(k.toLowerCase(), lower) }))
    .filter((x) => x.d <= limit || (lower.length >= 3 && x.k.toLowerCase().startsWith(lower)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .map((x) => x.k);
}
