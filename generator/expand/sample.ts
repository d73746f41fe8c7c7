import { defineOwn } from '../model/pointer';
import { isRecord, type Resolve } from '../model/resolve';

/**
 * A value that satisfies a JSON Schema, for examples the contract did not write itself.
 * Prefers the schema's own examples; bounded in depth so circular schemas terminate.
 * https://json-schema.org/draft/2020-12/json-schema-validation
 */
export function sample(schema: unknown, resolve: Resolve, depth = 0): unknown {
  const s = resolve(schema);
  if (s === true || s === undefined) return {};
  if (!isRecord(s)) return null;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.allOf)) {
    const parts = s.allOf.map((p) => sample(p, resolve, depth + 1));
    const own = sampleByType({ ...s, allOf: undefined }, resolve, depth);
    return parts.every(isRecord) && (own === undefined || isRecord(own)) ? mergeOwn([...parts, own]) : parts[0];
  }
  const choice = (Array.isArray(s.oneOf) && s.oneOf[0]) || (Array.isArray(s.anyOf) && s.anyOf[0]);
  if (choice) return sample(choice, resolve, depth + 1);
  return sampleByType(s, resolve, depth) ?? {};
}

/** `Object.assign({}, ...parts)` with own data properties: a `"__proto__"` member stays data. */
function mergeOwn(parts: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) if (isRecord(part)) for (const [k, v] of Object.entries(part)) defineOwn(out, k, v);
  return out;
}

function sampleByType(s: Record<string, unknown>, resolve: Resolve, depth: number): unknown {
  const types = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : [s.type];
  const type = types[0] ?? (isRecord(s.properties) ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 8) return out;
      const required = new Set(Array.isArray(s.required) ? s.required : []);
      const props = resolve(s.properties);
      for (const [name, prop] of Object.entries(isRecord(props) ? props : {})) {
        // Optional members only near the top, so examples stay readable and recursion ends.
        if (required.has(name) || depth < 2) defineOwn(out, name, sample(prop, resolve, depth + 1));
      }
      return out;
    }
    case 'array': {
      if (depth > 8) return [];
      const min = typeof s.minItems === 'number' ? s.minItems : 1;
      return Array.from({ length: Math.max(1, min) }, () => sample(s.items, resolve, depth + 1));
    }
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

function sampleString(s: Record<string, unknown>): string {
  switch (s.format) {
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'date':
      return '2026-01-01';
    case 'uuid':
      return '3f1c2a8e-6c1d-4a57-9b2e-0d6f1f0c9a11';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'email':
      return 'user@example.com';
    default: {
      const min = typeof s.minLength === 'number' ? s.minLength : 0;
      return 'string'.padEnd(min, 'x');
    }
  }
}
