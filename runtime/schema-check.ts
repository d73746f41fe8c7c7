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
  return problem(value, schema, at, [], depth);
}

/**
 * `schemaProblem` with the pointer kept as its steps: it is written out only for the problem found,
 * not for every member checked (this runs on every response with meta, server and client).
 */
function problem(value: unknown, schema: MetaSchema, at: string, steps: (string | number)[], depth: number): string | undefined {
  if (schema === true) return undefined;
  if (schema === false) return `${where(at, steps)}: not allowed`;
  if (depth > 32) return undefined;
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => hasType(value, t))) return `${where(at, steps)}: expected ${types.join(' or ')}, got ${typeName(value)}`;
  }
  if (schema.const !== undefined && !same(value, schema.const)) return `${where(at, steps)}: expected ${JSON.stringify(schema.const)}`;
  if (schema.enum && !schema.enum.some((e) => same(value, e))) return `${where(at, steps)}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${where(at, steps)}: below ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${where(at, steps)}: above ${schema.maximum}`;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return `${where(at, steps)}: shorter than ${schema.minLength}`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${where(at, steps)}: longer than ${schema.maxLength}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${where(at, steps)}: fewer than ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${where(at, steps)}: more than ${schema.maxItems} items`;
    if (schema.items !== undefined) {
      for (let i = 0; i < value.length; i++) {
        steps.push(i);
        const p = problem(value[i], schema.items, at, steps, depth + 1);
        steps.pop();
        if (p) return p;
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (schema.required) {
      for (const name of schema.required) {
        if (!Object.hasOwn(record, name)) return `${at}${pointer(steps)}/${escape(name)}: missing`;
      }
    }
    for (const name of Object.keys(record)) {
      const declared = schema.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
      const rule = declared ?? schema.additionalProperties;
      if (rule === undefined) continue;
      steps.push(name);
      const p = problem(record[name], rule, at, steps, depth + 1);
      steps.pop();
      if (p) return p;
    }
  }
  if (schema.allOf) {
    for (const part of schema.allOf) {
      const p = problem(value, part, at, steps, depth + 1);
      if (p) return p;
    }
  }
  if (schema.anyOf && !schema.anyOf.some((s) => problem(value, s, at, steps, depth + 1) === undefined)) return `${where(at, steps)}: matches none of its alternatives`;
  if (schema.oneOf && schema.oneOf.filter((s) => problem(value, s, at, steps, depth + 1) === undefined).length !== 1) return `${where(at, steps)}: does not match exactly one of its alternatives`;
  return undefined;
}

/** The JSON Pointer of the steps below `at` (`/` for the root). */
function where(at: string, steps: readonly (string | number)[]): string {
  return `${at}${pointer(steps)}` || '/';
}

function pointer(steps: readonly (string | number)[]): string {
  let out = '';
  for (const step of steps) out += `/${typeof step === 'number' ? step : escape(step)}`;
  return out;
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
