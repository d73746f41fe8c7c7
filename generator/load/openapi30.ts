/**
 * OpenAPI 3.0 → 3.1, the way the OpenAPI Initiative's migration guide does it by hand
 * (https://www.openapis.org/blog/2021/02/16/migrating-from-openapi-3-0-to-3-1-0), so every stage
 * after load reads one dialect. Only Schema Objects change; `example` on media types, parameters
 * and headers is still valid 3.1 and stays. Example values and `x-` extensions are data, never
 * walked as schemas.
 *
 * - `nullable: true` → `null` added to `type` (and to `enum`); on a schema without a type (a `$ref`,
 *   `allOf`, …) → `anyOf: [<the schema>, { type: 'null' }]`. `nullable: false` is dropped.
 * - `example` → `examples: [example]`.
 * - `exclusiveMinimum: true` + `minimum: n` → `exclusiveMinimum: n` (same for maximum); `false` is dropped.
 * - `format: binary` → `contentMediaType: application/octet-stream` (file uploads); `format: byte`
 *   (and `base64`) → `contentEncoding: base64`.
 */

type Json = Record<string, unknown>;

/** What the conversion changed, by kind: the init report shows it. */
export type Conversion = Record<'nullable' | 'example' | 'exclusiveBound' | 'binary' | 'base64', number>;

export function isOpenApi30(document: Json): boolean {
  return typeof document.openapi === 'string' && /^3\.0\./.test(document.openapi);
}

/** Converts `document` in place; returns what changed. */
export function convertOpenApi30(document: Json): Conversion {
  const counts: Conversion = { nullable: 0, example: 0, exclusiveBound: 0, binary: 0, base64: 0 };
  const seen = new Set<object>();
  const schema = (node: unknown): void => {
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    convertSchema(node, counts);
    for (const key of ['properties', 'patternProperties'] as const) {
      if (isRecord(node[key])) for (const s of Object.values(node[key])) schema(s);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(node[key])) node[key].forEach(schema);
    for (const key of ['items', 'additionalProperties', 'not'] as const) schema(node[key]);
  };
  // Outside schemas: every `schema` member (parameters, headers, media types) and every component schema.
  // Every node of the document passes here: its members are read in place (no array of entries).
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    for (const key of Object.keys(node)) {
      if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
      const value = node[key];
      if (key === 'schema') schema(value);
      else if (typeof value === 'object' && value !== null) walk(value);
    }
  };
  const components = isRecord(document.components) ? document.components : {};
  if (isRecord(components.schemas)) for (const s of Object.values(components.schemas)) schema(s);
  walk(document);
  document.openapi = '3.1.0';
  return counts;
}

const BOUNDS = [
  ['exclusiveMinimum', 'minimum'],
  ['exclusiveMaximum', 'maximum'],
] as const;

function convertSchema(s: Json, counts: Conversion): void {
  if ('example' in s) {
    if (!('examples' in s)) s.examples = [s.example];
    delete s.example;
    counts.example++;
  }
  for (const [flag, bound] of BOUNDS) {
    if (typeof s[flag] !== 'boolean') continue;
    if (s[flag] === true && typeof s[bound] === 'number') {
      s[flag] = s[bound];
      delete s[bound];
    } else delete s[flag];
    counts.exclusiveBound++;
  }
  if (s.type === 'string' && s.format === 'binary') {
    delete s.format;
    s.contentMediaType ??= 'application/octet-stream';
    counts.binary++;
  } else if (s.type === 'string' && (s.format === 'byte' || s.format === 'base64')) {
    delete s.format;
    s.contentEncoding ??= 'base64';
    counts.base64++;
  }
  if (typeof s.nullable !== 'boolean') return;
  const nullable = s.nullable;
  delete s.nullable;
  if (!nullable) return;
  counts.nullable++;
  if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum.push(null);
  if (typeof s.type === 'string') s.type = [s.type, 'null'];
  else if (Array.isArray(s.type)) {
    if (!s.type.includes('null')) s.type.push('null');
  } else {
    // No type to widen (`$ref`, `allOf`, …): the schema as it was, or null.
    const inner: Json = {};
    for (const key of Object.keys(s)) {
      if (key === 'description' || key === 'title' || key === 'default' || key === 'examples' || key === 'readOnly' || key === 'writeOnly' || key === 'deprecated') continue;
      inner[key] = s[key];
      delete s[key];
    }
    s.anyOf = [inner, { type: 'null' }];
  }
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
