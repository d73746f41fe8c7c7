/**
 * The part of JSON Schema that errata checks a code's `meta` against at run time: the server's
 * guard (what it is about to send) and the client (what it received, before typing it). errata
 * emits each code's meta schema as data in this subset (generator/model/codec.ts, `metaCheck`):
 * types, members, required members, items, enums and constants, bounds, and the combinators.
 * Keywords outside it (`pattern`, `format`) are not checked; no regular expression from a contract
 * runs here. One pass over the value per schema branch, depth-bounded.
 */
export type MetaSchema =
  | boolean
  | {
      readonly type?: string | readonly string[];
      readonly properties?: Readonly<Record<string, MetaSchema>>;
      readonly required?: readonly string[];
      readonly additionalProperties?: MetaSchema;
      readonly items?: MetaSchema;
      readonly enum?: readonly unknown[];
      readonly const?: unknown;
      readonly anyOf?: readonly MetaSchema[];
      readonly oneOf?: readonly MetaSchema[];
      readonly allOf?: readonly MetaSchema[];
      readonly minimum?: number;
      readonly maximum?: number;
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly minItems?: number;
      readonly maxItems?: number;
    };

/** The first place `value` breaks `schema`, as `/field: expected string`; undefined when it fits. */
export function schemaProblem(value: unknown, schema: MetaSchema, at = '', depth = 0): string | undefined {
  if (schema === true) return undefined;
  if (schema === false) return `${at || '/'}: not allowed`;
  if (depth > 32) return undefined;
  const where = at || '/';
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => hasType(value, t))) return `${where}: expected ${types.join(' or ')}, got ${typeName(value)}`;
  }
  if (schema.const !== undefined && !same(value, schema.const)) return `${where}: expected ${JSON.stringify(schema.const)}`;
  if (schema.enum && !schema.enum.some((e) => same(value, e))) return `${where}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${where}: below ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${where}: above ${schema.maximum}`;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return `${where}: shorter than ${schema.minLength}`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${where}: longer than ${schema.maxLength}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${where}: fewer than ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${where}: more than ${schema.maxItems} items`;
    if (schema.items !== undefined) {
      for (let i = 0; i < value.length; i++) {
        const p = schemaProblem(value[i], schema.items, `${at}/${i}`, depth + 1);
        if (p) return p;
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!Object.hasOwn(record, name)) return `${at}/${escape(name)}: missing`;
    for (const [name, member] of Object.entries(record)) {
      const declared = schema.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
      const rule = declared ?? schema.additionalProperties;
      if (rule === undefined) continue;
      const p = schemaProblem(member, rule, `${at}/${escape(name)}`, depth + 1);
      if (p) return p;
    }
  }
  for (const part of schema.allOf ?? []) {
    const p = schemaProblem(value, part, at, depth + 1);
    if (p) return p;
  }
  if (schema.anyOf && !schema.anyOf.some((s) => schemaProblem(value, s, at, depth + 1) === undefined)) return `${where}: matches none of its alternatives`;
  if (schema.oneOf && schema.oneOf.filter((s) => schemaProblem(value, s, at, depth + 1) === undefined).length !== 1) return `${where}: does not match exactly one of its alternatives`;
  return undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function escape(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
