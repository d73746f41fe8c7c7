/** Identifiers derived from spec strings. Codes are validated against CODE_PATTERN first. */

export const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private protected public static yield any boolean number string symbol type of await async constructor'.split(' '),
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
