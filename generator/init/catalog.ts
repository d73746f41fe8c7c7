import { CODE_PATTERN } from '../model/names';
import { getAt } from '../model/pointer';
import { isRecord, type Resolve } from '../model/resolve';
import type { RetryPolicy } from '../model/types';
import { propertiesOf, type Shape } from './envelope';
import { isJsonMediaType, type Site } from './sites';
import type { Confidence, InferredCode, Json } from './types';

/** The codes init writes on one response, and what it read them from. */
export interface SiteCodes {
  site: Site;
  codes: string[];
  source: InferredCode['source'];
}

interface Draft {
  code: string;
  wire?: string;
  statuses: Set<number>;
  sources: Set<InferredCode['source']>;
  descriptions: Map<string, number>;
  messages: string[];
  metas: unknown[];
  retryAfter: boolean[];
  operations: Set<string>;
}

const SOURCE_RANK: InferredCode['source'][] = ['enum', 'example', 'description', 'schema-name', 'shared-response', 'unspecified'];
const CONFIDENCE: Record<InferredCode['source'], Confidence> = { enum: 'high', example: 'high', description: 'medium', 'schema-name': 'medium', 'shared-response': 'medium', unspecified: 'low' };

/**
 * The catalog from what the description already says, strongest evidence first: `enum`/`const`
 * of the code member in a response's own schema, then its examples, then codes named in its
 * description, then the name of its error schema (when several share the envelope's shape), then
 * the shared response's name; a response with none of these gets
 * `UNSPECIFIED_<status>` for a person to name.
 */
export function inferCatalog(sites: Site[], shape: Shape, envelopeSchema: unknown, resolve: Resolve, aliases: ReadonlyMap<string, string> = new Map()): { codes: InferredCode[]; perSite: SiteCodes[]; unplaced: string[] } {
  const codeTokens = shape.code!.tokens;
  const metaTokens = shape.meta?.tokens;
  const messageTokens = shape.message?.tokens;
  const envelopeCodes = enumAt(envelopeSchema, codeTokens, resolve);
  const drafts = new Map<string, Draft>();
  const perSite: SiteCodes[] = [];
  for (const site of sites) {
    const statuses = site.uses.map((u) => statusNumber(u.status));
    const found = new Map<string, { wire: string; example?: unknown }>();
    let source: InferredCode['source'] = 'unspecified';
    const bodies = site.bodies.filter((b) => isJsonMediaType(b.mediaType));
    // A response schema of its own (not the envelope itself) that pins the code.
    for (const b of bodies) {
      if (b.schema === resolve(envelopeSchema)) continue;
      for (const v of enumAt(b.schema, codeTokens, resolve)) found.set(v, { wire: v });
    }
    if (found.size > 0) source = 'enum';
    else {
      for (const b of bodies) {
        for (const ex of b.examples) {
          const v = getAt(ex, codeTokens);
          if (typeof v === 'string' && v !== '' && !found.has(v)) found.set(v, { wire: v, example: ex });
        }
      }
      if (found.size > 0) source = 'example';
    }
    if (found.size === 0 && envelopeCodes.length > 0 && typeof site.response.description === 'string') {
      for (const v of envelopeCodes) if (new RegExp(`(?<![\\w-])${escapeRe(v)}(?![\\w-])`).test(site.response.description)) found.set(v, { wire: v });
      if (found.size > 0) source = 'description';
    }
    if (found.size === 0) {
      for (const b of bodies) {
        const name = aliases.get(b.pointer);
        if (name) found.set(name, { wire: name });
      }
      if (found.size > 0) source = 'schema-name';
    }
    if (found.size === 0 && site.shared) {
      const code = codeName(site.shared.replace(/[-_ ]?responses?$/i, '') || site.shared);
      found.set(code, { wire: code });
      source = 'shared-response';
    }
    if (found.size === 0) {
      const keys = [...new Set(site.uses.map((u) => u.status))];
      const code = `UNSPECIFIED_${keys.length === 1 ? keys[0]!.toUpperCase() : statuses.map(String).join('_')}`;
      found.set(code, { wire: code });
    }
    const codes: string[] = [];
    for (const [wire, { example }] of found) {
      const code = codeName(wire);
      if (codes.includes(code)) continue;
      codes.push(code);
      let d = drafts.get(code);
      if (!d) {
        // Only a value read from the API's own bodies is what it sends on the wire.
        const sent = source === 'enum' || source === 'example' || source === 'description';
        d = { code, ...(sent && code !== wire ? { wire } : {}), statuses: new Set(), sources: new Set(), descriptions: new Map(), messages: [], metas: [], retryAfter: [], operations: new Set() };
        drafts.set(code, d);
      }
      for (const s of statuses) d.statuses.add(s);
      d.sources.add(source);
      if (typeof site.response.description === 'string' && site.response.description.trim()) {
        const text = site.response.description.trim();
        d.descriptions.set(text, (d.descriptions.get(text) ?? 0) + site.uses.length);
      }
      if (example !== undefined) {
        const message = messageTokens && getAt(example, messageTokens);
        if (typeof message === 'string' && message.trim()) d.messages.push(message.trim());
        if (metaTokens) d.metas.push(getAt(example, metaTokens));
      }
      d.retryAfter.push(hasHeader(site.response, 'retry-after', resolve));
      for (const u of site.uses) d.operations.add(u.operation);
    }
    perSite.push({ site, codes: codes.sort(), source });
  }
  const unplaced = envelopeCodes.map(codeName).filter((c) => !drafts.has(c));
  const codes = [...drafts.values()].map(finish).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { codes, perSite, unplaced };
}

function finish(d: Draft): InferredCode {
  const statuses = [...d.statuses].sort((a, b) => a - b);
  const source = SOURCE_RANK.find((s) => d.sources.has(s))!;
  const retriable = statuses.some((s) => s === 429 || s === 503);
  const retry: RetryPolicy = retriable ? (d.retryAfter.length > 0 && d.retryAfter.every(Boolean) ? 'after' : 'backoff') : 'none';
  const description = [...d.descriptions].sort((a, b) => b[1] - a[1])[0]?.[0] ?? d.messages[0] ?? (source === 'unspecified' ? '' : d.code.toLowerCase().replace(/_/g, ' '));
  const meta = metaSchema(d.metas);
  return {
    code: d.code,
    statuses,
    category: statuses[0]! >= 500 ? 'server' : 'client',
    description: description || `Returned with status ${statuses.join(' or ')}; the description names no code.`,
    fix: FIX[statuses[0]!] ?? (statuses[0]! >= 500 ? FIX[500]! : FIX[400]!),
    retry,
    ...(meta ? { meta: meta.schema, example: meta.example } : {}),
    source,
    confidence: CONFIDENCE[source],
    operations: d.operations.size,
    ...(d.wire ? { wire: d.wire } : {}),
  };
}

/** Proposed client advice per status (the report marks every `fix` as proposed). */
const FIX: Record<number, string> = {
  400: 'Correct the request as the message says, then send it again.',
  401: 'Send valid credentials (see the security scheme), then retry.',
  402: 'Settle the account or upgrade the plan.',
  403: 'Use credentials that are allowed to do this, or ask for the permission.',
  404: 'Check the identifiers in the path; the resource may have been deleted.',
  405: 'Use a method the path allows.',
  406: 'Accept a media type the operation produces.',
  409: 'Fetch the current state of the resource, resolve the conflict and retry.',
  410: 'The resource is gone for good; stop requesting it.',
  412: 'Fetch the resource again and retry with its current validators.',
  413: 'Send a smaller request body.',
  415: 'Send a media type the operation accepts.',
  422: 'Correct the fields the message names, then send the request again.',
  429: 'Slow down: wait as the Retry-After header says (or back off), then retry.',
  500: 'Retry later with backoff; if it persists, report it with the request id.',
  501: 'The server does not support this; do not retry.',
  502: 'Retry later with backoff.',
  503: 'Retry later (honour Retry-After when sent).',
  504: 'Retry later with backoff.',
};

/** `not-found` / `NotFound` / `notFound` → `NOT_FOUND`; `1234` → `E1234`. */
export function codeName(raw: string): string {
  const snake = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const code = /^[0-9]/.test(snake) ? `E${snake}` : snake || 'UNNAMED';
  return CODE_PATTERN.test(code) ? code : 'UNNAMED';
}

function statusNumber(key: string): number {
  if (/^[45]\d\d$/.test(key)) return Number(key);
  if (/^[45]xx$/i.test(key)) return Number(key[0]) * 100;
  return 500; // `default`: an unexpected error
}

function enumAt(schema: unknown, tokens: string[], resolve: Resolve): string[] {
  let props = propertiesOf(schema, resolve);
  let at: Json | undefined;
  for (const t of tokens) {
    at = props.get(t);
    if (!at) return [];
    props = propertiesOf(at, resolve);
  }
  if (!at) return [];
  if (typeof at.const === 'string') return [at.const];
  return Array.isArray(at.enum) ? at.enum.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

function hasHeader(response: Json, name: string, resolve: Resolve): boolean {
  const headers = resolve(response.headers);
  return isRecord(headers) && Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/**
 * A code's meta schema from its examples, when they agree: every example's meta is an object
 * and each member has one JSON type across them. Members in every example are required.
 */
function metaSchema(metas: unknown[]): { schema: Json; example: unknown } | undefined {
  const objects = metas.filter((m) => m !== undefined && m !== null);
  if (objects.length === 0 || !objects.every(isRecord)) return undefined;
  const types = new Map<string, Set<string>>();
  for (const m of objects as Json[]) for (const [k, v] of Object.entries(m)) (types.get(k) ?? types.set(k, new Set()).get(k)!).add(jsonType(v));
  if (types.size === 0 || [...types.values()].some((t) => t.size !== 1)) return undefined;
  const required = [...types.keys()].filter((k) => (objects as Json[]).every((m) => k in m));
  return {
    schema: { type: 'object', ...(required.length > 0 ? { required } : {}), properties: Object.fromEntries([...types].map(([k, t]) => [k, { type: [...t][0] }])) },
    example: objects[0],
  };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export { propertiesOf };
