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

export function getAt(root: unknown, tokens: readonly string[]): unknown {
  let at: unknown = root;
  for (const t of tokens) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[t];
  }
  return at;
}
