import type { Problem } from '../errors';
import catalogSchema from '../../schemas/catalog.schema.json' with { type: 'json' };
import xErrataSchema from '../../schemas/x-errata.schema.json' with { type: 'json' };
import { suggestNames } from './names';
import { toPointer } from './pointer';
import { isRecord, type Resolve } from './resolve';

/**
 * Unknown keys in `x-errata` and the catalog, judged by the published JSON Schemas
 * (schemas/x-errata.schema.json, schemas/catalog.schema.json): the keys each object may have are
 * the schema's `properties`, so the schema editors autocomplete with is the one errata enforces.
 * Values are the readers' to judge (readEnvelope, readCatalog), in their words: a bad value gives
 * one message, not one from here and one from there.
 */
type Schema = Record<string, unknown>;

const SCHEMAS: Record<string, Schema> = { 'x-errata.schema.json': xErrataSchema, 'catalog.schema.json': catalogSchema };

export function unknownKeys(xErrata: unknown, resolve: Resolve): Problem[] {
  const problems: Problem[] = [];
  walk(xErrata, xErrataSchema, 'x-errata.schema.json', ['x-errata'], resolve, problems, 0);
  return problems;
}

/** `#/$defs/code` within `file`, or another schema file by name. */
function follow(schema: Schema, file: string): { schema: Schema; file: string } {
  let at = schema;
  let where = file;
  for (let hops = 0; hops < 8 && typeof at.$ref === 'string'; hops++) {
    const [target, fragment] = (at.$ref as string).split('#');
    if (target) where = target;
    let next: unknown = SCHEMAS[where];
    for (const token of (fragment ?? '').split('/').filter(Boolean)) next = isRecord(next) ? next[token] : undefined;
    if (!isRecord(next)) break;
    at = next;
  }
  return { schema: at, file: where };
}

function walk(raw: unknown, rawSchema: Schema, file: string, tokens: string[], resolve: Resolve, problems: Problem[], depth: number): void {
  const node = resolve(raw);
  if (depth > 8) return;
  const { schema, file: at } = follow(rawSchema, file);
  // `catalog: { $ref }` or the catalog itself: the branch that is not a bare reference.
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) {
    const object = branches.map((b) => follow(b, at)).find((b) => b.schema.additionalProperties === false && isRecord(b.schema.properties) && !('$ref' in (b.schema.properties as Schema)));
    if (object) walk(node, object.schema, object.file, tokens, resolve, problems, depth + 1);
    return;
  }
  if (Array.isArray(node) && isRecord(schema.items)) {
    node.forEach((item, i) => walk(item, schema.items as Schema, at, [...tokens, String(i)], resolve, problems, depth + 1));
    return;
  }
  if (!isRecord(node) || schema.type !== 'object') return;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const known = Object.keys(properties).filter((k) => k !== '$schema');
  for (const [key, value] of Object.entries(node)) {
    if (Object.hasOwn(properties, key)) {
      if (isRecord(properties[key])) walk(value, properties[key] as Schema, at, [...tokens, key], resolve, problems, depth + 1);
    } else if (schema.additionalProperties === false) {
      problems.push(unknownKey(key, known, tokens));
    } else if (isRecord(schema.additionalProperties)) {
      walk(value, schema.additionalProperties, at, [...tokens, key], resolve, problems, depth + 1);
    }
  }
}

function unknownKey(key: string, known: string[], tokens: string[]): Problem {
  const near = suggestNames(key, known);
  const where = tokens.join('.');
  return {
    pointer: toPointer([...tokens, key]),
    message: `unknown key ${JSON.stringify(key)} in ${where}: errata would ignore it`,
    fix: `${near.length ? `did you mean \`${near[0]}\`? ` : ''}Keys allowed here: ${known.join(', ')} (see schemas/${where.includes('catalog') ? 'catalog' : 'x-errata'}.schema.json)`,
  };
}
