import type { Document } from '../load/load-contract';
import { arrayItems, branchWith, propertyAt } from '../model/envelope';
import { indexToken, matchToken, parsePointer, toPointer } from '../model/pointer';
import { internalResolver, isRecord, refOf, type Resolve } from '../model/resolve';
import type { CatalogCode, Envelope, ErrorContract } from '../model/types';
import { encode, type Codec } from '../../runtime/codec';
import { reasonPhrase, wireMessage } from '../../runtime/server';
import { statusesUnder } from '../model/rules';
import { sample } from './sample';

/**
 * The bundled contract that standard tools read: every code becomes a schema, and every response
 * that lists `x-errata-codes` gets a body schema that admits exactly those codes.
 * https://spec.openapis.org/oas/v3.1.0#discriminator-object
 */
export function expandContract(document: Document, model: ErrorContract): Document {
  // Copy on write: only the objects on the way to what changes are copied, the rest is shared with
  // `document`. A deep copy of GitHub's 7 MB description cost more than all the expanding itself.
  const out: Document = { ...document };
  const copied = new WeakSet<object>([out]);
  const own = (parent: Record<string, unknown>, key: string): Record<string, unknown> => {
    const child = parent[key];
    if (isRecord(child) && copied.has(child)) return child;
    const copy = isRecord(child) ? { ...child } : {};
    copied.add(copy);
    parent[key] = copy;
    return copy;
  };
  const resolve = internalResolver(out);
  const schemas = own(own(out, 'components'), 'schemas');
  const codes = new Map(model.codes.map((c) => [c.code, c]));
  const envelopes = new Map(model.envelopes.map((e) => [e.name, e]));
  const envelopeOf = (name: string | undefined) => envelopes.get(name ?? 'default') ?? model.envelope;
  for (const c of model.codes) schemas[c.schemaName] = codeSchema(envelopeOf(c.envelope), c, resolve);

  const examples = new Map(model.envelopes.map((e, i) => [e.name, exampleMaker(e, model.codecs[i]!, resolve)]));
  const done = new Set<string>();
  // The unrouted errors' responses (`x-errata.unrouted`) get their bodies like an operation's.
  for (const op of [...model.operations, { errors: model.unrouted }]) {
    for (const res of op.errors) {
      if (done.has(res.pointer) || res.codes.length === 0) continue;
      done.add(res.pointer);
      const response = writableAt(out, res.pointer, own);
      if (!response) continue;
      const declared = res.codes.map((c) => codes.get(c)!);
      const envelope = envelopeOf(res.envelope);
      const example = examples.get(envelope.name)!;
      const content = own(response, 'content');
      const authored = isRecord(content[envelope.mediaType]) ? (content[envelope.mediaType] as Record<string, unknown>) : {};
      const hasAuthoredExamples = authored.example !== undefined || authored.examples !== undefined;
      content[envelope.mediaType] = {
        ...authored,
        schema: bodySchema(envelope, declared),
        ...(hasAuthoredExamples ? {} : { examples: Object.fromEntries(declared.map((c) => [c.code, example(c, sentWith(c, res.status, op.errors.map((e) => e.status)))])) }),
      };
    }
  }
  return out;
}

/**
 * The object at `pointer`, following a `$ref` chain there as `resolve` does, with it and every
 * object on the way from the root copied (`own`) so it can be written.
 */
function writableAt(root: Document, pointer: string, own: (parent: Record<string, unknown>, key: string) => Record<string, unknown>): Record<string, unknown> | undefined {
  let tokens = parsePointer(pointer);
  for (let hops = 0; hops < 32; hops++) {
    let at: Record<string, unknown> = root;
    for (const token of tokens) {
      if (!isRecord(at[token])) return undefined;
      at = own(at, token);
    }
    const ref = refOf(at);
    if (ref === undefined || !ref.startsWith('#')) return at;
    tokens = parsePointer(ref);
  }
  return undefined;
}

function codeSchema(envelope: Envelope, c: CatalogCode, resolve: Resolve): Record<string, unknown> {
  // A copy of the envelope with the code pinned and meta replaced, rather than an allOf overlay:
  // intersecting the envelope's open `meta: {type: object}` with the code's meta makes
  // openapi-typescript produce `Record<string, never> & {...}`, i.e. unusable `never` fields.
  const schema = structuredClone(resolve({ $ref: envelope.schemaRef })) as Record<string, unknown>;
  if (envelope.fixedCode === undefined) replaceAt(schema, envelope.code, { type: 'string', const: c.code }, true, resolve);
  if (envelope.meta && c.meta !== undefined) {
    // Meta members beside envelope parts (FastAPI's `detail[0]`: `loc` and `type` beside `msg`) keep the parts.
    const meta = envelope.meta;
    const shared = [envelope.message, envelope.code, envelope.requestId.body ?? []].some((p) => p.length > meta.length && toPointer(p).startsWith(`${toPointer(meta)}/`));
    const original = propertyAt({ $ref: envelope.schemaRef }, meta, resolve)?.schema;
    replaceAt(schema, meta, shared && original !== undefined ? { allOf: [original, c.meta] } : c.meta, c.metaRequired, resolve);
  }
  return { ...schema, title: c.code, description: c.description, 'x-errata-code': c.code };
}

/**
 * Puts `value` at the property path `tokens`, inlining `$ref`s along the path only. Where a level
 * is composed (`allOf`) instead of declaring the property itself, the rest of the path becomes an
 * overlay in that level's `allOf`, which validators and openapi-typescript both intersect.
 */
function replaceAt(schema: Record<string, unknown>, tokens: string[], value: unknown, required: boolean, resolve: Resolve): void {
  let at = schema;
  for (const [i, token] of tokens.entries()) {
    const last = i === tokens.length - 1;
    // An array step (`0`, `[@type=…]`): into a copy of the items schema, or of the branch the match names.
    const items = arrayItems(at, resolve);
    if (items !== undefined) {
      const match = matchToken(token);
      const target = match ? branchWith(items, match, resolve) : indexToken(token) !== undefined ? items : undefined;
      if (!isRecord(target)) return;
      const copy = structuredClone(target);
      const itemsNode = resolve(at.items);
      if (match && isRecord(itemsNode) && (Array.isArray(itemsNode.oneOf) || Array.isArray(itemsNode.anyOf))) {
        const key = Array.isArray(itemsNode.oneOf) ? 'oneOf' : 'anyOf';
        const branches = (itemsNode[key] as unknown[]).map((b) => (resolve(b) === target ? copy : b));
        at.items = { ...itemsNode, [key]: branches };
      } else at.items = copy;
      if (last) {
        at.items = value;
        return;
      }
      at = copy;
      continue;
    }
    const props = isRecord(at.properties) ? at.properties : undefined;
    if (!props || !(token in props)) {
      const overlay: Record<string, unknown> = {};
      setSchemaAt(overlay, tokens.slice(i), value, required);
      at.allOf = [...(Array.isArray(at.allOf) ? at.allOf : []), overlay];
      return;
    }
    // The path to the member is required; the member itself only when asked (a code's optional meta).
    if (!last || required) at.required = [...new Set([...(Array.isArray(at.required) ? at.required : []), token])];
    if (last) props[token] = value;
    else {
      const next = structuredClone(resolve(props[token]));
      if (!isRecord(next)) return;
      props[token] = next;
      at = next;
    }
  }
}

/** Writes `schema` under nested `properties` along `tokens`, marking each step required. */
function setSchemaAt(root: Record<string, unknown>, tokens: string[], schema: unknown, required = true): void {
  let at = root;
  tokens.forEach((token, i) => {
    const last = i === tokens.length - 1;
    at.type = 'object';
    const props = ensureRecord(at, 'properties');
    if (!last || required) at.required = [...new Set([...((at.required as string[]) ?? []), token])];
    if (last) props[token] = schema;
    else at = ensureRecord(props, token);
  });
}

function bodySchema(envelope: Envelope, codes: CatalogCode[]): Record<string, unknown> {
  const refs = codes.map((c) => ({ $ref: `#/components/schemas/${c.schemaName}` }));
  if (envelope.fixedCode !== undefined || envelope.code.length !== 1) return { oneOf: refs };
  return {
    oneOf: refs,
    discriminator: {
      propertyName: envelope.code[0],
      mapping: Object.fromEntries(codes.map((c) => [c.code, `#/components/schemas/${c.schemaName}`])),
    },
  };
}

/**
 * Builds each code's example for a response: the envelope and each code's meta are sampled once per
 * contract, not per response; every response still gets its own copy of the body.
 */
/** The status a code's example shows under a status key: the first one the server can send it with there. */
function sentWith(c: CatalogCode, key: string, keys: string[]): number {
  return statusesUnder(key, keys, c.statuses)[0] ?? c.statuses[0]!;
}

function exampleMaker(envelope: Envelope, codec: Codec, resolve: Resolve): (c: CatalogCode, status: number) => { summary: string; value: unknown } {
  // The body the server builds (runtime/codec.ts `encode`, with this envelope's codec), so the
  // examples show what is sent: its constants and defaults, its member order, no optional members
  // it would omit. Live members and the request id are per response; the example shows a
  // schema-valid sample of each (documentation, never a body).
  const memberSample = (tokens: string[]) => {
    const found = propertyAt({ $ref: envelope.schemaRef }, tokens, resolve);
    return found ? sample(found.schema, resolve) : undefined;
  };
  const liveSamples = new Map((envelope.live ?? []).map((tokens) => [toPointer(tokens), memberSample(tokens)]));
  const metas = new Map<string, unknown>();
  return (c, status) => {
    if (envelope.meta && c.meta !== undefined && !metas.has(c.code)) metas.set(c.code, c.example ?? sample(c.meta, resolve));
    const value = encode(codec, {
      code: c.code,
      status,
      message: wireMessage(c.message, status),
      title: reasonPhrase(status),
      meta: structuredClone(metas.get(c.code)),
      requestId: 'req_8f14e45fceea167a',
      type: c.type,
      live: (pointer) => structuredClone(liveSamples.get(pointer)),
    });
    return { summary: `${c.code}: ${firstSentence(c.description)}`.slice(0, 120), value };
  };
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0] ?? '';
  const end = line.search(/\.(\s|$)/);
  return end === -1 ? line : line.slice(0, end + 1);
}

function ensureRecord(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!isRecord(parent[key])) parent[key] = {};
  return parent[key] as Record<string, unknown>;
}
