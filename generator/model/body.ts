import type { Problem } from '../errors';
import { isProblemJson, propertyAt } from './envelope';
import { defineOwn, toPointer } from './pointer';
import { isRecord, type Resolve } from './resolve';
import type { Envelope } from './types';

/**
 * The envelope as one body template, shared by the server (every error it sends) and the bundled
 * examples (what the documentation shows): which members the runtime fills (code, message, meta,
 * request id, RFC 9457 `status`/`title`), which come from a server hook per response (`live`), and
 * the constants and defaults every body carries. A required member with none of these would need a
 * value invented at generation time, which would then go out in every production body: refused.
 */
export interface BodyTemplate {
  base: Record<string, unknown>;
  statusMember?: string[];
  titleMember?: string[];
  /** RFC 9457 `type`: set to the code's problem type where it has one (else its const/default stays). */
  typeMember?: string[];
  problems: Problem[];
}

export function bodyTemplate(envelope: Envelope, resolve: Resolve): BodyTemplate {
  const schema = { $ref: envelope.schemaRef };
  const problem = isProblemJson(envelope.mediaType);
  const member = (name: string) => {
    const found = propertyAt(schema, [name], resolve);
    return found && (resolve(found.schema) ?? {});
  };
  // RFC 9457 §3.1: `status` repeats the HTTP status; `title` of an about:blank problem is its reason phrase.
  const statusMember = problem && member('status') !== undefined ? ['status'] : undefined;
  const title = problem ? member('title') : undefined;
  const titleMember = title !== undefined && !(isRecord(title) && (title.const !== undefined || title.default !== undefined)) ? ['title'] : undefined;
  const filled = new Set([envelope.code, envelope.message, envelope.meta, envelope.requestId.body, statusMember, titleMember, ...(envelope.live ?? [])].filter((t): t is string[] => !!t).map(toPointer));
  const missing: string[] = [];
  const base = walk(schema, resolve, filled, missing, [], 0);
  const problems = missing.map((pointer) => ({
    pointer: '/x-errata/envelope',
    message: `the envelope member ${pointer} is required but has no \`const\` or \`default\`, so errata would have to invent its value at generation time and every error body would carry it`,
    fix: `if the server computes it per response (a timestamp, a trace id), declare it \`live: [${pointer}]\` and pass \`createServerErrors({ live: { '${pointer}': (error) => … } })\`; otherwise give it a \`const\` or \`default\``,
  }));
  const typeMember = problem && member('type') !== undefined ? ['type'] : undefined;
  return { base, ...(statusMember ? { statusMember } : {}), ...(titleMember ? { titleMember } : {}), ...(typeMember ? { typeMember } : {}), problems };
}

function walk(schema: unknown, resolve: Resolve, filled: Set<string>, missing: string[], path: string[], depth: number): Record<string, unknown> {
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
      // A one-value enum is a constant too (`kind: { enum: [error] }`).
      else if (isRecord(prop) && Array.isArray(prop.enum) && prop.enum.length === 1) defineOwn(out, name, prop.enum[0]);
      else if (isRecord(prop) && prop.default !== undefined) defineOwn(out, name, prop.default);
      else if (holdsFilled || (isRecord(prop) && isRecord(prop.properties))) defineOwn(out, name, walk(prop, resolve, filled, missing, at, depth + 1));
      else if (!missing.includes(pointer)) missing.push(pointer);
    }
  }
  return out;
}
