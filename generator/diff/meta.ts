import { getAt, parsePointer } from '../model/pointer';
import { isRecord, refOf } from '../model/resolve';
import type { CatalogCode } from '../model/types';
import type { Side } from './types';

/** One member of a code's meta, as a client reads it: `type`, `issues[].path`. */
export interface MetaMember {
  /** Pointer of the member's schema in the bundled document. */
  pointer: string;
  /** Present in every body that has its parent. */
  required: boolean;
  /** JSON types it may have (`const` and `enum` give theirs), undefined when unconstrained. */
  types?: Set<string>;
  /** Allowed values, when the schema lists them (`enum`, or `const` as one value). */
  values?: unknown[];
}

const cache = new WeakMap<CatalogCode, Map<string, MetaMember>>();
const MAX_DEPTH = 8;

/**
 * A code's meta schema flattened to its members, each with what a client relies on when it reads
 * it. Follows internal `$ref`s (keeping the pointer of where the schema really is, for locations)
 * and merges `allOf` parts; `oneOf`/`anyOf` alternatives are not members a client can rely on.
 */
export function metaMembers(side: Side, code: CatalogCode): Map<string, MetaMember> {
  let members = cache.get(code);
  if (members) return members;
  members = new Map();
  if (code.meta !== undefined) walk(side, code.meta, `${code.pointer}/meta`, '', true, members, 0);
  cache.set(code, members);
  return members;
}

function deref(side: Side, node: unknown, pointer: string): [unknown, string] {
  for (let hops = 0; hops < 32; hops++) {
    const ref = refOf(node);
    if (ref === undefined || !ref.startsWith('#')) break;
    pointer = ref.slice(1);
    node = getAt(side.document, parsePointer(ref));
  }
  return [node, pointer];
}

function walk(side: Side, raw: unknown, at: string, path: string, required: boolean, out: Map<string, MetaMember>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const [schema, pointer] = deref(side, raw, at);
  if (!isRecord(schema)) return;
  if (path) out.set(path, { pointer, required, ...describe(schema) });
  const requiredHere = new Set(Array.isArray(schema.required) ? schema.required : []);
  const parts: [unknown, string][] = [[schema, pointer]];
  if (Array.isArray(schema.allOf)) schema.allOf.forEach((p, i) => parts.push(deref(side, p, `${pointer}/allOf/${i}`)));
  for (const [part, partPointer] of parts) {
    if (!isRecord(part)) continue;
    for (const r of Array.isArray(part.required) ? part.required : []) requiredHere.add(r);
    const props = part.properties;
    if (isRecord(props)) {
      for (const [name, child] of Object.entries(props)) {
        walk(side, child, `${partPointer}/properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, path ? `${path}.${name}` : name, requiredHere.has(name), out, depth + 1);
      }
    }
    if (part.items !== undefined && path) walk(side, part.items, `${partPointer}/items`, `${path}[]`, true, out, depth + 1);
  }
}

function describe(schema: Record<string, unknown>): Pick<MetaMember, 'types' | 'values'> {
  const values = 'const' in schema ? [schema.const] : Array.isArray(schema.enum) ? schema.enum : undefined;
  let types: Set<string> | undefined;
  if (typeof schema.type === 'string') types = new Set([schema.type]);
  else if (Array.isArray(schema.type)) types = new Set(schema.type.filter((t): t is string => typeof t === 'string'));
  else if (values) types = new Set(values.map(jsonType));
  if (types?.has('number')) types.add('integer');
  return { ...(types ? { types } : {}), ...(values ? { values } : {}) };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
