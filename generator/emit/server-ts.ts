import { sample } from '../expand/sample';
import { tsCode, tsComment, tsJson, tsString, tsStringList } from '../model/escape';
import { toPointer } from '../model/pointer';
import { isProblemJson, propertyAt } from '../model/envelope';
import { internalResolver, isRecord, type Resolve } from '../model/resolve';
import type { CatalogCode, ErrorContract } from '../model/types';
import { render } from './render';
import { runtimeFile } from './runtime-files';
import type { Emitter } from './types';

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
      if (isRecord(prop) && prop.const !== undefined) out[name] = prop.const;
      else if (isRecord(prop) && prop.default !== undefined) out[name] = prop.default;
      else if (holdsFilled || (isRecord(prop) && isRecord(prop.properties))) out[name] = bodyBase(prop, resolve, filled, at, depth + 1);
      else out[name] = sample(prop, resolve);
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
  const internal = model.internal;

  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
    codes: model.codes.map((c) => ({ literal: tsString(c.code), schemaName: tsString(c.schemaName) })),
    base: tsJson(bodyBase(envelopeSchema, resolve, filled), 2),
    statusMember: tsStringList(statusMember),
    titleMember: tsStringList(titleMember),
    internalCode: internal === undefined ? tsCode('undefined') : tsString(internal),
  };
  return [{ path: 'server.ts', contents: render('server.ts', view) }, runtimeFile('server.ts')];
};
