import type { Problem } from '../errors';
import { arrayItems, branchWith, isProblemJson, propertyAt } from './envelope';
import { defineOwn, indexToken, matchToken, toPointer } from './pointer';
import { isRecord, type Resolve } from './resolve';
import type { Envelope } from './types';

/**
 * The envelope as one body template, shared by the server (every error it sends) and the bundled
 * examples (what the documentation shows): which members the runtime fills (code, message, meta,
 * request id, the status mirrors: RFC 9457 `status`/`title`, an envelope's `status` member), which
 * come from a server hook per response (`live`), and the constants and defaults every body carries.
 * A required member with none of these would need a value invented at generation time, which would
 * then go out in every production body: refused.
 *
 * Members the runtime fills hold `null` in `base`, in the schema's member order, so a built body
 * lists its members as the contract documents them (FastAPI's `loc`, `msg`, `type`).
 */
export interface BodyTemplate {
  base: Record<string, unknown>;
  /** Repeats the HTTP status: the envelope's `status`, else problem+json's `status`. */
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
  const statusMember = envelope.status ?? (problem && member('status') !== undefined ? ['status'] : undefined);
  const title = problem ? member('title') : undefined;
  const titleMember = title !== undefined && !(isRecord(title) && (title.const !== undefined || title.default !== undefined)) ? ['title'] : undefined;
  const filledTokens = [envelope.code.length > 0 ? envelope.code : undefined, envelope.message, envelope.meta, envelope.requestId.body, statusMember, titleMember, envelope.docUrl, ...(envelope.live ?? [])].filter((t): t is string[] => !!t);
  const walker: Walker = {
    resolve,
    filled: new Set(filledTokens.map(toPointer)),
    meta: envelope.meta ? toPointer(envelope.meta) : undefined,
    matched: matchedMembers(filledTokens),
    missing: [],
  };
  const base = walkObject(walker, schema, [], 0);
  const where = envelope.name === 'default' ? '/x-errata/envelope' : `/x-errata/envelopes${toPointer([envelope.name])}`;
  const problems = walker.missing.map((pointer) => ({
    pointer: where,
    message: `the envelope member ${pointer} is required but has no \`const\` or \`default\`, so errata would have to invent its value at generation time and every error body would carry it`,
    fix: `if the server computes it per response (a timestamp, a trace id), declare it \`live: [${pointer}]\` and pass \`createServerErrors({ live: { '${pointer}': (error) => … } })\`; otherwise give it a \`const\` or \`default\``,
  }));
  const typeMember = envelope.docUrl ?? (problem && member('type') !== undefined ? ['type'] : undefined);
  return { base, ...(statusMember ? { statusMember } : {}), ...(titleMember ? { titleMember } : {}), ...(typeMember ? { typeMember } : {}), problems };
}

interface Walker {
  resolve: Resolve;
  /** Pointers of the members the runtime fills. */
  filled: Set<string>;
  /** Members under it come with the code's meta. */
  meta: string | undefined;
  /** The member a `[member=value]` step matches on, with its value: the element carries it. */
  matched: Map<string, string>;
  missing: string[];
}

/** `/error/details/[@type=X]/@type` → X: every element a match step names carries the matched member. */
function matchedMembers(paths: readonly string[][]): Map<string, string> {
  const out = new Map<string, string>();
  for (const tokens of paths) {
    tokens.forEach((t, i) => {
      const match = matchToken(t);
      if (match) out.set(toPointer([...tokens.slice(0, i + 1), match.where]), match.is);
    });
  }
  return out;
}

function walkObject(w: Walker, schema: unknown, path: string[], depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const s = w.resolve(schema);
  if (!isRecord(s) || depth > 8) return out;
  const parts = [s, ...(Array.isArray(s.allOf) ? s.allOf.map(w.resolve) : [])].filter(isRecord);
  for (const part of parts) {
    const props = w.resolve(part.properties);
    if (!isRecord(props)) continue;
    const required = new Set(Array.isArray(part.required) ? part.required : []);
    for (const [name, raw] of Object.entries(props)) {
      const at = [...path, name];
      const pointer = toPointer(at);
      // defineOwn: a member named `__proto__` stays a member (`out[name] =` would set the prototype).
      if (w.matched.has(pointer)) {
        defineOwn(out, name, w.matched.get(pointer));
        continue;
      }
      if (w.filled.has(pointer)) {
        defineOwn(out, name, null);
        continue;
      }
      const holdsFilled = [...w.filled].some((f) => f.startsWith(`${pointer}/`));
      if (w.meta !== undefined && pointer.startsWith(`${w.meta}/`) && !holdsFilled) {
        // The code's meta brings it; its place is kept when the envelope requires it.
        if (required.has(name)) defineOwn(out, name, null);
        continue;
      }
      if (!required.has(name) && !holdsFilled) continue;
      const prop = w.resolve(raw);
      if (isRecord(prop) && prop.const !== undefined) defineOwn(out, name, prop.const);
      // A one-value enum is a constant too (`kind: { enum: [error] }`).
      else if (isRecord(prop) && Array.isArray(prop.enum) && prop.enum.length === 1) defineOwn(out, name, prop.enum[0]);
      else if (isRecord(prop) && prop.default !== undefined) defineOwn(out, name, prop.default);
      else if (holdsFilled && arrayItems(prop, w.resolve) !== undefined) defineOwn(out, name, walkArray(w, prop, at, depth + 1));
      else if (holdsFilled || (isRecord(prop) && isRecord(prop.properties))) defineOwn(out, name, walkObject(w, prop, at, depth + 1));
      else if (!w.missing.includes(pointer)) w.missing.push(pointer);
    }
  }
  return out;
}

/** The elements filled members go through (`/detail/0/msg`, `/error/details/[@type=…]/reason`), in the order first named. */
function walkArray(w: Walker, schema: unknown, path: string[], depth: number): unknown[] {
  const prefix = `${toPointer(path)}/`;
  const items = arrayItems(w.resolve(schema), w.resolve);
  const tokens: string[] = [];
  for (const f of [...w.filled, ...w.matched.keys()]) {
    if (!f.startsWith(prefix)) continue;
    const token = f.slice(prefix.length).split('/')[0]!.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!tokens.includes(token)) tokens.push(token);
  }
  const out: unknown[] = [];
  for (const token of tokens) {
    const match = matchToken(token);
    const element = match ? branchWith(items, match, w.resolve) : indexToken(token) !== undefined ? items : undefined;
    if (element === undefined) continue;
    const value = walkObject(w, element, [...path, token], depth + 1);
    if (indexToken(token) !== undefined) out[indexToken(token)!] = value;
    else out.push(value);
  }
  return out;
}
