import { isProblemJson } from '../model/envelope';
import { toPointer } from '../model/pointer';
import { isRecord, type Resolve } from '../model/resolve';
import { finalRef, isJsonMediaType, type Body, type Site } from './sites';
import type { Inference, InferredEnvelope, Json } from './types';

export interface Member {
  tokens: string[];
  schema: Json;
}

/** Where an error body keeps what errata needs, as far as its schema says. */
export interface Shape {
  code?: Member;
  /** An integer `code`: usually the HTTP status repeated, not an error code. */
  numericCode?: Member;
  message?: Member;
  meta?: Member;
  requestId?: Member;
  /** A list of errors (JSON:API `errors[]`): a pointer cannot reach a code inside it. */
  list?: Member;
  style: InferredEnvelope['style'];
}

const CODE_NAMES = ['code', 'error_code', 'errorCode', 'errorcode', 'err_code', 'errCode', 'error_type', 'errorType'];
const PARENTS = ['error', 'detail', 'err', 'fault'];
const MESSAGE_NAMES = ['message', 'detail', 'error_description', 'errorMessage', 'error_message', 'description', 'title', 'msg', 'reason', 'error'];
const META_NAMES = ['meta', 'details', 'metadata', 'context', 'data', 'extra', 'params', 'info'];
const SCHEMA_REF = /^\/components\/schemas\/([^/]+)$/;
const REQUEST_ID = /^(?:x[-_]?)?(?:request|trace|correlation)[-_]?id$/i;

/** Properties of an object schema, looking through `$ref` and `allOf`. */
export function propertiesOf(schema: unknown, resolve: Resolve, depth = 0): Map<string, Json> {
  const out = new Map<string, Json>();
  const s = resolve(schema);
  if (!isRecord(s) || depth > 8) return out;
  for (const part of Array.isArray(s.allOf) ? s.allOf : []) for (const [k, v] of propertiesOf(part, resolve, depth + 1)) out.set(k, v);
  const props = resolve(s.properties);
  if (isRecord(props)) for (const [k, v] of Object.entries(props)) if (isRecord(resolve(v))) out.set(k, resolve(v) as Json);
  return out;
}

const typeOf = (s: Json): string[] => (Array.isArray(s.type) ? s.type.map(String) : typeof s.type === 'string' ? [s.type] : []);
const isString = (s: Json) => typeOf(s).includes('string') || typeof s.const === 'string' || (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every((v) => typeof v === 'string'));
const isInteger = (s: Json) => typeOf(s).some((t) => t === 'integer' || t === 'number');
const isObject = (s: Json, resolve: Resolve) => typeOf(s).includes('object') || (typeOf(s).length === 0 && propertiesOf(s, resolve).size > 0);

export function analyseShape(schema: unknown, mediaType: string, resolve: Resolve): Shape {
  const top = propertiesOf(schema, resolve);
  const problem = isProblemJson(mediaType) || (top.has('type') && top.has('title') && (top.has('status') || top.has('detail')));
  // Names compare without case: `Message`, `ErrorCode` and `message`, `errorCode` are the same idea.
  const find = (props: Map<string, Json>, names: string[], test: (s: Json) => boolean, prefix: string[], skip?: string) => {
    for (const name of names) {
      for (const [key, s] of props) {
        if (key.toLowerCase() === name.toLowerCase() && key !== skip && test(s)) return { tokens: [...prefix, key], schema: s };
      }
    }
    return undefined;
  };
  const get = (props: Map<string, Json>, name: string) => [...props].find(([k]) => k.toLowerCase() === name)?.[1];
  const shape: Shape = { style: problem ? 'problem+json' : 'flat' };
  let parent: string[] = [];
  let props = top;
  shape.code = find(top, CODE_NAMES, isString, []);
  shape.numericCode = find(top, ['code', 'status'], isInteger, []);
  if (!shape.code) {
    for (const [p] of [...top].filter(([k]) => PARENTS.includes(k.toLowerCase()))) {
      const inner = top.get(p);
      if (!inner || !isObject(inner, resolve)) continue;
      const innerProps = propertiesOf(inner, resolve);
      // Google (AIP-193): `error.code` is the HTTP status, `error.status` the canonical code.
      const numeric = find(innerProps, ['code'], isInteger, [p]);
      const google = numeric ? find(innerProps, ['status'], isString, [p]) : undefined;
      const code = find(innerProps, CODE_NAMES, isString, [p]) ?? google;
      if (code) {
        shape.code = code;
        shape.style = google && code === google ? 'google' : 'nested';
        parent = [p];
        props = innerProps;
        break;
      }
      shape.numericCode ??= numeric;
    }
  }
  // OAuth 2.0 (RFC 6749 §5.2) and many others: a string `error` is the code.
  const error = get(top, 'error');
  if (!shape.code && error && isString(error)) shape.code = find(top, ['error'], isString, []);
  shape.message = find(props, problem ? ['detail', 'title', ...MESSAGE_NAMES] : MESSAGE_NAMES, isString, parent, shape.code?.tokens.at(-1));
  if (!shape.message && parent.length > 0) shape.message = find(top, MESSAGE_NAMES, isString, [], shape.code?.tokens.at(-1));
  // `{ Error: { Message } }`: no code, but the message is inside the error object.
  for (const [p, inner] of [...top].filter(([k]) => PARENTS.includes(k.toLowerCase()))) {
    if (!shape.message && !shape.code && isObject(inner, resolve)) shape.message = find(propertiesOf(inner, resolve), MESSAGE_NAMES, isString, [p]);
  }
  shape.meta = find(props, META_NAMES, (s) => isObject(s, resolve), parent);
  for (const [name, s] of top) {
    if (REQUEST_ID.test(name) && isString(s)) shape.requestId ??= { tokens: [name], schema: s };
    if (shape.requestId || !isObject(s, resolve)) continue;
    for (const [inner, t] of propertiesOf(s, resolve)) if (REQUEST_ID.test(inner) && isString(t)) shape.requestId ??= { tokens: [name, inner], schema: t };
  }
  const errors = get(top, 'errors');
  if (!shape.code && errors && typeOf(errors).includes('array')) shape.list = find(top, ['errors'], () => true, [])!;
  return shape;
}

interface Group {
  key: string;
  /** Component schema name when the bodies `$ref` one. */
  name?: string;
  schema: Json;
  bodies: { site: Site; body: Body }[];
  /** Bodies whose schema specialises this one: pointed at the envelope, their codes in the catalog. */
  specialised: string[];
  operations: number;
  mediaTypes: Map<string, number>;
  shape: Shape;
}

export interface EnvelopeInference {
  envelope: InferredEnvelope;
  shape: Shape;
  /** The envelope schema's pointer, and a new component to add when the bodies were inline. */
  schemaPointer: string;
  newSchema?: { name: string; schema: Json };
  /** Bodies to point at the envelope: inline copies of it, or schemas that specialise it. */
  replaceInline: string[];
  /** Body pointer → the name of the schema it used, when several named schemas share the envelope's shape. */
  aliases: Map<string, string>;
  /** Members to add to the envelope schema (the code, when nothing identifies one). */
  addMembers: Record<string, Json>;
  /** Bodies that use another schema: errata's lint will point at them. */
  others: { site: Site; body: Body; why: string }[];
  inferences: Inference[];
  notes: string[];
}

/**
 * The envelope: the JSON error body most operations use, among those with a recognisable code
 * member (any body when none has one: then a `code` member is proposed).
 */
export function inferEnvelope(sites: Site[], document: Json, resolve: Resolve): EnvelopeInference {
  const groups = new Map<string, Group>();
  for (const site of sites) {
    for (const body of site.bodies) {
      if (!isJsonMediaType(body.mediaType) || !isRecord(body.schema)) continue;
      // A schema that is `allOf: [<a named schema>, …]` specialises that schema (often to pin codes):
      // it counts as a use of the named one.
      const base = Array.isArray(body.schema.allOf) ? body.schema.allOf.map((p) => finalRef(p, resolve)).find((r) => r && SCHEMA_REF.test(r)) : undefined;
      const ref = base ?? finalRef(body.raw, resolve);
      const name = ref && SCHEMA_REF.exec(ref)?.[1];
      const schema = base ? (resolve({ $ref: `#${base}` }) as Json) : body.schema;
      const key = name ? `ref:${name}` : `inline:${stableJson(schema)}`;
      let g = groups.get(key);
      if (!g) {
        g = { key, ...(name ? { name: name.replace(/~1/g, '/').replace(/~0/g, '~') } : {}), schema, bodies: [], specialised: [], operations: 0, mediaTypes: new Map(), shape: analyseShape(schema, body.mediaType, resolve) };
        groups.set(key, g);
      }
      g.bodies.push({ site, body });
      if (base) g.specialised.push(body.pointer);
      g.operations += site.uses.length;
      g.mediaTypes.set(body.mediaType, (g.mediaTypes.get(body.mediaType) ?? 0) + site.uses.length);
    }
  }
  const ranked = [...groups.values()].filter((g) => isObjectSchema(g.schema, resolve)).sort((a, b) => b.operations - a.operations || a.key.localeCompare(b.key));
  // The most used body, unless it names no code and a body that does is used at least a quarter as often.
  const withCode = ranked.find((g) => g.shape.code);
  const chosen = ranked[0] && !ranked[0].shape.code && withCode && withCode.operations * 4 >= ranked[0].operations ? withCode : ranked[0];
  const inferences: Inference[] = [];
  const notes: string[] = [];
  const totalUses = sites.reduce((n, s) => n + s.uses.length, 0);
  const schemas = isRecord(document.components) && isRecord(document.components.schemas) ? document.components.schemas : {};
  const freeName = (base: string) => (base in schemas ? [`Errata${base}`, `${base}Body`, `${base}_`].find((n) => !(n in schemas))! : base);

  let name: string;
  let newSchema: EnvelopeInference['newSchema'];
  const replaceInline: string[] = [];
  let shape: Shape;
  let schema: Json;
  // No error body described anywhere: a component schema named like an error may still say what they are.
  const named = chosen ? undefined : Object.entries(schemas).filter(([n, sc]) => /^(?:api|http|service)?[-_]?(?:error|problem|fault)(?:[-_]?(?:response|body|model|object|details?))?$/i.test(n) && isObjectSchema(resolve(sc) as Json, resolve)).map(([n, sc]) => ({ n, sc: resolve(sc) as Json, shape: analyseShape(sc, 'application/json', resolve) })).sort((a, b) => Number(!!b.shape.code) - Number(!!a.shape.code) || a.n.localeCompare(b.n))[0];
  if (named) {
    name = named.n;
    shape = { ...named.shape };
    schema = named.sc;
    notes.push(`no error response describes its body; the envelope is the schema ${name}, by its name: check your errors really use it`);
    inferences.push({ subject: 'envelope', value: `#/components/schemas/${name}`, from: 'its name (no error response describes a body)', confidence: 'low' });
  } else if (!chosen) {
    name = freeName('Error');
    schema = { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', description: 'Machine-readable error code (errata catalog).' }, message: { type: 'string', description: 'Human-readable explanation.' } } };
    newSchema = { name, schema };
    shape = { style: 'proposed', code: { tokens: ['code'], schema: {} }, message: { tokens: ['message'], schema: {} } };
    notes.push(`no error response describes a JSON object body; proposed a new envelope ${name} { code, message }: check it is what your API sends`);
    inferences.push({ subject: 'envelope', value: `#/components/schemas/${name} (new)`, from: 'no JSON error body in the description', confidence: 'low' });
  } else {
    shape = { ...chosen.shape };
    schema = chosen.schema;
    if (chosen.name) {
      name = chosen.name;
      replaceInline.push(...chosen.specialised);
    } else {
      name = freeName('Error');
      newSchema = { name, schema: chosen.schema };
      replaceInline.push(...chosen.bodies.map((b) => b.body.pointer));
    }
    const share = Math.round((100 * chosen.operations) / Math.max(1, totalUses));
    inferences.push({
      subject: 'envelope',
      value: `#/components/schemas/${name}${newSchema ? ' (new: the inline error schema, now shared)' : ''}`,
      from: `the error body of ${chosen.operations} of ${totalUses} error responses (${share}%)`,
      confidence: share >= 50 ? 'high' : 'medium',
    });
  }
  const addMembers: Record<string, Json> = {};
  if (!shape.code) {
    addMembers.code = { type: 'string', description: 'Machine-readable error code: proposed by `errata init`, the API must send it.' };
    shape.code = { tokens: ['code'], schema: addMembers.code };
    shape.style = 'proposed';
    notes.push(
      `nothing in ${name} identifies an error code${shape.numericCode ? ` (${toPointer(shape.numericCode.tokens)} is a number, usually the HTTP status)` : ''}${shape.list ? ` (${toPointer(shape.list.tokens)} is a list: errata's pointers cannot reach a code inside one)` : ''}: proposed a \`code\` string member; your API must send it before clients can rely on it`,
    );
    inferences.push({ subject: 'envelope code', value: '/code (proposed)', from: `no string member of ${name} is named like a code`, confidence: 'low' });
  } else {
    const proposed = shape.style === 'proposed';
    inferences.push({ subject: 'envelope code', value: toPointer(shape.code.tokens) + (proposed ? ' (proposed)' : ''), from: proposed ? `the new envelope ${name}` : `${name} has ${describeStyle(shape.style)}`, confidence: proposed ? 'low' : 'high' });
  }
  if (!shape.message) {
    addMembers.message = { type: 'string', description: 'Human-readable explanation: proposed by `errata init`.' };
    shape.message = { tokens: ['message'], schema: addMembers.message };
    notes.push(`nothing in ${name} carries a human-readable message: proposed a \`message\` string member`);
  }
  const mediaType = chosen ? [...chosen.mediaTypes].filter(([m]) => m !== '*/*').sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'application/json' : 'application/json';
  // Named schemas with the envelope's very shape (AWS: one `…Exception` schema per error): the
  // name is the code, and the body is the envelope.
  // A named schema that says nothing (`{}`, as converted AWS descriptions have) is lost nothing by.
  const aliases = new Map<string, string>();
  const same = [...groups.values()].filter((g) => g !== chosen && g.name && (stableJson(g.schema) === '{}' || (chosen && stableJson(g.schema) === stableJson(chosen.schema))));
  if (same.length > 0) {
    const named = [...(chosen?.name ? [chosen] : []), ...same];
    for (const g of named) for (const { body } of g.bodies) aliases.set(body.pointer, g.name!);
    for (const g of same) replaceInline.push(...g.bodies.map((b) => b.body.pointer));
    inferences.push({ subject: 'codes', value: `named after ${named.length} error schemas`, from: `${named.map((g) => g.name).slice(0, 4).join(', ')}${named.length > 4 ? ', …' : ''}: one shape (or none), so each name is an error (the envelope is ${name})`, confidence: 'medium' });
  }
  const others = chosen
    ? [...groups.values()].filter((g) => g !== chosen && !same.includes(g)).flatMap((g) => g.bodies.map(({ site, body }) => ({ site, body, why: g.name ? `uses ${g.name}, not the envelope ${name}` : `describes its error body inline, not as the envelope ${name}` })))
    : [];
  for (const site of sites) {
    for (const body of site.bodies) {
      if (!isJsonMediaType(body.mediaType)) others.push({ site, body, why: `answers ${body.mediaType}, not ${mediaType}` });
      else if (body.mediaType !== mediaType && !others.some((o) => o.body === body)) others.push({ site, body, why: `answers ${body.mediaType}, but the envelope's media type is ${mediaType}` });
    }
  }
  return {
    envelope: {
      mediaType,
      schema: `#/components/schemas/${name}`,
      code: toPointer(shape.code.tokens),
      message: toPointer(shape.message.tokens),
      ...(shape.meta ? { meta: toPointer(shape.meta.tokens) } : {}),
      style: shape.style,
    },
    shape,
    schemaPointer: toPointer(['components', 'schemas', name]),
    ...(newSchema ? { newSchema } : {}),
    replaceInline,
    aliases,
    addMembers,
    others,
    inferences,
    notes,
  };
}

function describeStyle(style: Shape['style']): string {
  return {
    flat: 'a string `code`-like member at the top',
    nested: 'a string code member inside an error object',
    'problem+json': 'RFC 9457 problem details with a code extension member',
    google: 'the Google shape { error: { code, status, details[] } }: `status` is the canonical code',
    proposed: 'no code member',
  }[style];
}

function isObjectSchema(s: Json, resolve: Resolve): boolean {
  return typeOf(s).includes('object') || propertiesOf(s, resolve).size > 0;
}

/** JSON with sorted keys, so two identical inline schemas compare equal. */
function stableJson(v: unknown, depth = 0): string {
  if (depth > 20) return '…';
  if (Array.isArray(v)) return `[${v.map((x) => stableJson(x, depth + 1)).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().filter((k) => k !== 'description' && k !== 'example' && k !== 'examples').map((k) => `${JSON.stringify(k)}:${stableJson(v[k], depth + 1)}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
