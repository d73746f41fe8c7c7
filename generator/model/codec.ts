import type { Codec, Path } from '../../runtime/codec';
import type { MetaSchema } from '../../runtime/schema-check';
import type { Problem } from '../errors';
import { bodyTemplate } from './body';
import { propertyAt } from './envelope';
import { toPointer } from './pointer';
import { isRecord, type Resolve } from './resolve';
import type { Envelope } from './types';

/**
 * An envelope as the runtimes use it (runtime/codec.ts): each part's path as steps (members, array
 * indexes, `[member=value]` matches, as the schema says), the body template, the status mirrors
 * and the fixed code. Emitted as data into catalog.ts; the server builds bodies with it, the
 * client reads them with it, the bundled examples are built with it.
 */
export function envelopeCodec(envelope: Envelope, resolve: Resolve): { codec: Codec; problems: Problem[] } {
  const template = bodyTemplate(envelope, resolve);
  const schema = { $ref: envelope.schemaRef };
  // readEnvelope has checked every pointer reaches the schema.
  const path = (tokens: readonly string[]): Path => propertyAt(schema, tokens, resolve)?.steps ?? tokens;
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  const codec: Codec = {
    name: envelope.name,
    mediaType: envelope.mediaType,
    ...optional('code', envelope.fixedCode === undefined ? path(envelope.code) : undefined),
    ...optional('fixedCode', envelope.fixedCode),
    message: path(envelope.message),
    ...optional('meta', envelope.meta && path(envelope.meta)),
    ...optional('requestIdHeader', envelope.requestId.header),
    ...optional('requestIdBody', envelope.requestId.body && path(envelope.requestId.body)),
    ...optional('status', template.statusMember && path(template.statusMember)),
    ...optional('title', template.titleMember && path(template.titleMember)),
    ...optional('type', template.typeMember && path(template.typeMember)),
    ...optional('live', envelope.live?.length ? envelope.live.map((tokens) => ({ pointer: toPointer(tokens), path: path(tokens) })) : undefined),
    base: template.base,
  };
  return { codec, problems: template.problems };
}


const CHECKED = ['type', 'required', 'enum', 'const', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const;

/**
 * A code's meta schema as the runtimes check it (runtime/schema-check.ts): `$ref`s inlined, only
 * the keywords the check knows kept. A schema nested deeper than the check reads (a circular one)
 * becomes `true` there: it admits what the types already describe rather than refuse valid meta.
 */
export function metaCheck(schema: unknown, resolve: Resolve, depth = 0): MetaSchema {
  const s = resolve(schema);
  if (typeof s === 'boolean') return s;
  if (!isRecord(s) || depth > 12) return true;
  const out: Record<string, unknown> = {};
  for (const key of CHECKED) if (s[key] !== undefined) out[key] = s[key];
  if (isRecord(s.properties)) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, metaCheck(v, resolve, depth + 1)]));
  if (s.additionalProperties !== undefined) out.additionalProperties = metaCheck(s.additionalProperties, resolve, depth + 1);
  if (s.items !== undefined && !Array.isArray(s.items)) out.items = metaCheck(s.items, resolve, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(s[key])) out[key] = (s[key] as unknown[]).map((p) => metaCheck(p, resolve, depth + 1));
  return out as MetaSchema;
}
