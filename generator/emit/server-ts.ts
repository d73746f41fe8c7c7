import { sample } from '../expand/sample';
import { tsCode, tsComment, tsJson, tsString, tsStringList, tsStringUnion } from '../model/escape';
import { defineOwn, toPointer } from '../model/pointer';
import { isProblemJson, propertyAt } from '../model/envelope';
import { internalResolver, isRecord, type Resolve } from '../model/resolve';
import type { CatalogCode, ErrorContract } from '../model/types';
import { operationName } from './catalog-ts';
import { render } from './render';
import { runtimeFile } from './runtime-files';
import type { Emitter } from './types';

/**
 * The code unexpected exceptions become: the catalog code with status 500 (the one most operations
 * declare when there are several), else the first 5xx code.
 */
export function internalCodeOf(model: ErrorContract): string | undefined {
  const uses = new Map<string, number>();
  for (const op of model.operations) for (const code of new Set(op.errors.flatMap((r) => r.codes))) uses.set(code, (uses.get(code) ?? 0) + 1);
  const five = model.codes.filter((c) => c.statuses.includes(500)).sort((a, b) => (uses.get(b.code) ?? 0) - (uses.get(a.code) ?? 0));
  return (five[0] ?? model.codes.find((c) => c.statuses.some((s) => s >= 500)))?.code;
}

/**
 * Members every error body carries before the runtime sets code, message, meta, request id and
 * (problem+json) status/title: each required member's `const` or `default`, nested objects walked,
 * anything else a schema-valid sample (give such members a `default` to choose the value).
 */
export function bodyBase(schema: unknown, resolve: Resolve, filled: Set<string>, path: string[] = [], depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const s = resolve(schema);
  if (!isRecord(s) || depth > 8) return out;
  const parts = [s, ...(Array.isArray(s.allOf) ? s.allOf.map(resolve) : [])].filter(isRecord);
  for (const part of parts) {
    const props = resolve(part.properties);
    if (!isRecord(props)) continue;
    const required = new Set(Array.isArray(part.required) ? part.required : []);
    for (const [name, raw] of Object.entries(props)) {
      const at = [...path, name];
      const pointer = toPointer(at);
      if (filled.has(pointer)) continue;
      const prop = resolve(raw);
      const holdsFilled = [...filled].some((f) => f.startsWith(`${pointer}/`));
      if (!required.has(name) && !holdsFilled) continue;
      // defineOwn: a member named `__proto__` stays a member (`out[name] =` would set the prototype).
      if (isRecord(prop) && prop.const !== undefined) defineOwn(out, name, prop.const);
      else if (isRecord(prop) && prop.default !== undefined) defineOwn(out, name, prop.default);
      else if (holdsFilled || (isRecord(prop) && isRecord(prop.properties))) defineOwn(out, name, bodyBase(prop, resolve, filled, at, depth + 1));
      else defineOwn(out, name, sample(prop, resolve));
    }
  }
  return out;
}

/** Per-operation error builders (`generated/server.ts`) over the hand-written runtime. */
export const serverTs: Emitter = ({ model, bundled }) => {
  const env = model.envelope;
  const resolve = internalResolver(bundled);
  const envelopeSchema = { $ref: env.schemaRef };
  const problem = isProblemJson(env.mediaType);
  const memberSchema = (name: string) => {
    const found = propertyAt(envelopeSchema, [name], resolve);
    return found && (resolve(found.schema) ?? {});
  };
  // RFC 9457 §3.1: `status` repeats the HTTP status; `title` of an about:blank problem is its reason phrase.
  const statusMember = problem && memberSchema('status') !== undefined ? ['status'] : undefined;
  const title = problem ? memberSchema('title') : undefined;
  const titleMember = title !== undefined && !(isRecord(title) && (title.const !== undefined || title.default !== undefined)) ? ['title'] : undefined;
  const filled = new Set([env.code, env.message, env.meta, env.requestId.body, statusMember, titleMember].filter((t): t is string[] => !!t).map(toPointer));
  const internal = internalCodeOf(model);
  // Per-operation rules are derived from catalog.ts's `operations` (types and run time alike); only
  // what that table lacks is written here: which responses declare a Retry-After header.
  const retryAfterResponses = model.operations
    .map((op) => ({ op, keys: op.errors.filter((r) => r.headers.includes('retry-after')).map((r) => r.status) }))
    .filter(({ keys }) => keys.length > 0)
    .map(({ op, keys }) => ({ name: operationName(op), keyUnion: tsStringUnion(keys), keyList: tsStringList(keys) }));

  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
    metaRequired: tsStringUnion(env.meta ? model.codes.filter((c) => c.metaRequired).map((c) => c.code) : []),
    retryAfterCodes: tsStringUnion(model.codes.filter((c) => c.retry === 'after').map((c) => c.code)),
    retryAfterResponses,
    codes: model.codes.map((c) => ({ literal: tsString(c.code), schemaName: tsString(c.schemaName) })),
    base: tsJson(bodyBase(envelopeSchema, resolve, filled), 2),
    statusMember: tsStringList(statusMember),
    titleMember: tsStringList(titleMember),
    internalCode: internal === undefined ? tsCode('undefined') : tsString(internal),
  };
  return [{ path: 'server.ts', contents: render('server.ts', view) }, runtimeFile('server.ts')];
};
