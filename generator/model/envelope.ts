import type { Problem } from '../errors';
import type { Step } from '../../runtime/codec';
import { indexToken, isSafeToken, matchToken, parsePointer, toPointer } from './pointer';
import { CODE_PATTERN, suggestNames } from './names';
import { isRecord, refOf, type Resolve } from './resolve';
import type { Envelope } from './types';

const CONVENTIONS = 'see docs/conventions.md, "x-errata on the root document"';

/**
 * The error envelope (`x-errata.envelope`): which schema every error body uses and where in it the
 * code, message, meta and request id live. Pure, like readCatalog, so lint rules can share it.
 */
export function readEnvelope(raw: unknown, base: string, resolve: Resolve, name = 'default'): { envelope?: Envelope; metaRequired: boolean; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (tokens: string[], message: string, fix: string) => problems.push({ pointer: base + toPointer(tokens), message, fix });
  const node = resolve(raw);
  if (!isRecord(node)) {
    if (name === 'default') problem([], 'the contract has no `x-errata.envelope`', `describe the error body: \`envelope: { schema: { $ref: '#/components/schemas/Error' }, code: /code, message: /message }\` (${CONVENTIONS})`);
    else problem([], `the envelope ${name} must be an object`, 'write `{ schema: { $ref: ... }, code: /code, message: /message }`');
    return { metaRequired: false, problems };
  }
  const schemaRef = refOf(node.schema);
  const schemaName = schemaRef && /^#\/components\/schemas\/([^/]+)$/.exec(schemaRef)?.[1];
  if (!schemaRef || !schemaName) {
    problem(['schema'], 'the envelope schema must be a $ref to a named schema under #/components/schemas', "write `schema: { $ref: '#/components/schemas/Error' }` and register the schema there");
    return { metaRequired: false, problems };
  }
  const schema = resolve(node.schema);
  if (!isRecord(schema)) {
    problem(['schema'], `the envelope schema ${schemaRef} does not exist`, 'define it under components/schemas');
    return { metaRequired: false, problems };
  }

  // A pointer through `__proto__` would make every builder write to Object.prototype.
  const safePointer = (at: string | string[], pointer: string, tokens: string[]): boolean => {
    const bad = tokens.find((t) => !isSafeToken(t));
    if (bad === undefined) return true;
    problem(typeof at === 'string' ? [at] : at, `the pointer ${pointer} goes through ${JSON.stringify(bad)}, which JavaScript reads as an object's prototype`, 'rename that member of the error body (`__proto__`, `constructor` and `prototype` cannot be envelope fields)');
    return false;
  };
  const field = (key: 'code' | 'message' | 'meta' | 'status' | 'docUrl', required: boolean) => {
    const pointer = node[key];
    if (pointer === undefined && !required) return undefined;
    if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) {
      problem([key], `the envelope has no ${key} field: \`${key}\` must be a JSON Pointer into the error body`, `add \`${key}: /${key}\` (or wherever your body keeps it, e.g. /error/${key})`);
      return undefined;
    }
    const tokens = parsePointer(pointer);
    if (!safePointer(key, pointer, tokens)) return undefined;
    const found = propertyAt(schema, tokens, resolve);
    if (!found) {
      problem([key], `the envelope schema ${schemaRef} has no property at ${pointer}`, `declare it under \`properties\` of ${schemaName} (an array element is \`/0\` or \`/[member=value]\`, docs/conventions.md), or correct the pointer`);
      return undefined;
    }
    if (key === 'code' && !isStringSchema(resolve(found.schema))) {
      problem([key], `the code field ${pointer} of ${schemaRef} must be a string schema`, 'give it `type: string`');
    }
    if (key === 'status' && !isIntegerSchema(resolve(found.schema))) {
      problem([key], `the status member ${pointer} of ${schemaRef} repeats the HTTP status, so it must be an integer schema`, 'give it `type: integer`, or correct the pointer');
    }
    if (key === 'docUrl' && !isStringSchema(resolve(found.schema))) {
      problem([key], `the member ${pointer} of ${schemaRef} carries each code's documentation address, so it must be a string schema`, 'give it `type: string` (`format: uri`), or correct the pointer');
    }
    return { tokens, required: found.required };
  };
  // An envelope whose bodies carry no code (FastAPI's request-validation list, Starlette's
  // `{"detail": "Not Found"}`) names the one code all of them mean.
  const fixed = isRecord(node.code) ? node.code : undefined;
  let fixedCode: string | undefined;
  if (fixed) {
    if (name === 'default') problem(['code'], 'the default envelope must say where its bodies keep the code', `write a pointer (\`code: /code\`); an envelope with a fixed code goes under \`x-errata.envelopes\` (${CONVENTIONS})`);
    else if (typeof fixed.const !== 'string' || !CODE_PATTERN.test(fixed.const)) problem(['code', 'const'], 'a fixed code must be an error code', 'write `code: { const: VALIDATION_FAILED }` with a catalog code');
    else if (Object.keys(fixed).some((k) => k !== 'const')) problem(['code'], `a fixed code has only \`const\` (found ${Object.keys(fixed).filter((k) => k !== 'const').join(', ')})`, 'write `code: { const: VALIDATION_FAILED }`');
    else fixedCode = fixed.const;
  }
  const code = fixed ? undefined : field('code', true);
  const message = field('message', true);
  const meta = field('meta', false);
  const status = field('status', false);
  const docUrl = field('docUrl', false);
  const rid = resolve(node.requestId);
  const requestId: Envelope['requestId'] = {};
  if (rid !== undefined) {
    if (!isRecord(rid) || (rid.header === undefined && rid.body === undefined)) {
      problem(['requestId'], '`requestId` must say where the request id travels', 'write `requestId: { header: x-request-id }` and/or `requestId: { body: /request_id }`');
    } else {
      if (typeof rid.header === 'string' && rid.header) {
        if (!HEADER_NAME.test(rid.header)) problem(['requestId', 'header'], `${JSON.stringify(rid.header)} is not an HTTP header name`, 'use letters, digits and `-` (RFC 9110 §5.1), e.g. `x-request-id`');
        else if (isReservedHeader(rid.header)) {
          problem(['requestId', 'header'], `the request id cannot travel in ${JSON.stringify(rid.header)}: the runtime sets that header itself (or it frames, routes or secures the response), and the id would override it`, 'use a header of its own, e.g. `x-request-id`');
        } else requestId.header = rid.header;
      }
      if (typeof rid.body === 'string') {
        const tokens = parsePointer(rid.body);
        if (!safePointer(['requestId', 'body'], rid.body, tokens)) {
          // reported by safePointer
        } else if (propertyAt(schema, tokens, resolve)) requestId.body = tokens;
        else problem(['requestId', 'body'], `the envelope schema has no property at ${rid.body}`, `declare it under \`properties\` of ${schemaName}, or correct the pointer`);
      }
    }
  }
  // Members the server fills per response (docs/conventions.md, "Live members").
  const live: string[][] = [];
  const rawLive = resolve(node.live);
  if (rawLive !== undefined) {
    if (!Array.isArray(rawLive)) problem(['live'], '`live` must be a list of JSON Pointers into the error body', 'write `live: [/timestamp]`');
    else
      rawLive.forEach((p, i) => {
        if (typeof p === 'string' && p.startsWith('/') && propertyAt(schema, parsePointer(p), resolve)) live.push(parsePointer(p));
        else problem(['live', String(i)], `the envelope schema ${schemaRef} has no property at ${JSON.stringify(p)}`, `declare it under \`properties\` of ${schemaName}, or correct the pointer`);
      });
  }
  const mediaType = typeof node.mediaType === 'string' ? node.mediaType : 'application/json';
  if (!MEDIA_TYPE.test(mediaType)) problem(['mediaType'], `${JSON.stringify(mediaType)} is not a media type`, 'write `type/subtype`, e.g. `application/json` or `application/problem+json` (RFC 9110 §8.3.1)');
  // Error bodies are JSON the server serialises with values from the request (ids, messages): sent
  // as `text/html` a browser would render them (reflected XSS).
  else if (!isJsonMediaType(mediaType)) problem(['mediaType'], `error bodies are JSON; ${JSON.stringify(mediaType)} is not a JSON media type`, 'use `application/json` or an `application/…+json` type such as `application/problem+json`');
  if (!(code || fixedCode) || !message) return { metaRequired: false, problems };
  return {
    envelope: {
      name,
      mediaType,
      schemaRef,
      schemaName,
      code: code?.tokens ?? [],
      ...(fixedCode ? { fixedCode } : {}),
      message: message.tokens,
      ...(meta ? { meta: meta.tokens } : {}),
      ...(status ? { status: status.tokens } : {}),
      ...(docUrl ? { docUrl: docUrl.tokens } : {}),
      requestId,
      ...(live.length ? { live } : {}),
    },
    metaRequired: meta?.required ?? false,
    problems,
  };
}

// Both end up in HTTP headers of every error response, where anything else makes the platform throw.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*;[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"[^"\\\u0000-\u001f\u007f]*"))*$/;

/** `application/json` or `application/<name>+json`, parameters allowed (RFC 6839 §3.1). */
export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(?:json|[!#$%&'*+.^_`|~0-9A-Za-z-]+\+json)[ \t]*(?:;|$)/i.test(mediaType);
}

/**
 * Headers the runtime writes on every error response (`content-type`, `content-length`,
 * `retry-after`, `x-content-type-options`) and ones that frame, route or secure a response: a
 * request id sent in one of them would corrupt or override it.
 */
const RESERVED_HEADERS = new Set([
  'content-type', 'content-length', 'content-encoding', 'content-range', 'content-location', 'content-disposition', 'content-security-policy',
  'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'host', 'location', 'retry-after',
  'set-cookie', 'cookie', 'authorization', 'www-authenticate', 'proxy-authenticate', 'x-content-type-options',
  'strict-transport-security', 'cache-control', 'vary', 'date', 'server', 'access-control-allow-origin', 'access-control-allow-credentials',
]);

export function isReservedHeader(name: string): boolean {
  return RESERVED_HEADERS.has(name.toLowerCase());
}

/** RFC 9457 problem details (`application/problem+json`, with or without parameters). */
export function isProblemJson(mediaType: string): boolean {
  return /^application\/problem\+json\b/i.test(mediaType);
}

/**
 * The schema of a path into the envelope, looking through `$ref` and `allOf`; `required` of the last
 * step; `steps` as the runtime walks them. Where the schema is an array, a decimal token is an
 * element by index and `[member=value]` the element whose `member` is `value` (pointer.ts,
 * matchToken): the items schema, or the `oneOf`/`anyOf` branch of it that pins that member.
 */
export function propertyAt(schema: unknown, tokens: readonly string[], resolve: Resolve): { schema: unknown; required: boolean; steps: Step[] } | undefined {
  let at: unknown = schema;
  let required = true;
  const steps: Step[] = [];
  for (const token of tokens) {
    const node = resolve(at);
    const items = arrayItems(node, resolve);
    if (items !== undefined) {
      const index = indexToken(token);
      const match = matchToken(token);
      if (index !== undefined) {
        at = items;
        required = isRecord(node) && typeof node.minItems === 'number' && node.minItems > index;
        steps.push(index);
      } else if (match) {
        const branch = branchWith(items, match, resolve);
        if (branch === undefined) return undefined;
        at = branch;
        required = false;
        steps.push(match);
      } else return undefined;
      continue;
    }
    const found = ownProperty(node, token, resolve, 0);
    if (!found) return undefined;
    at = found.schema;
    required = found.required;
    steps.push(token);
  }
  return { schema: at, required, steps };
}

/** The items schema of an array schema (`true`: any item), or undefined for any other schema. */
export function arrayItems(schema: unknown, resolve: Resolve): unknown {
  if (!isRecord(schema)) return undefined;
  const isArray = schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array')) || (schema.items !== undefined && schema.properties === undefined);
  return isArray ? (schema.items === undefined ? true : resolve(schema.items)) : undefined;
}

/** The items branch whose member `where` is the constant `is` (or the items schema itself when it declares the member). */
export function branchWith(items: unknown, match: { where: string; is: string }, resolve: Resolve): unknown {
  const node = resolve(items);
  if (!isRecord(node)) return undefined;
  const branches = [...(Array.isArray(node.oneOf) ? node.oneOf : []), ...(Array.isArray(node.anyOf) ? node.anyOf : [])].map(resolve);
  const pins = (branch: unknown): boolean | undefined => {
    const member = ownProperty(resolve(branch), match.where, resolve, 0);
    if (!member) return undefined;
    const m = resolve(member.schema);
    if (!isRecord(m)) return false;
    if (m.const !== undefined) return m.const === match.is;
    if (Array.isArray(m.enum)) return m.enum.includes(match.is);
    return isStringSchema(m) ? false : undefined;
  };
  if (branches.length > 0) return branches.find((b) => pins(b) === true);
  return pins(node) !== undefined ? node : undefined;
}

function ownProperty(schema: unknown, token: string, resolve: Resolve, depth: number): { schema: unknown; required: boolean } | undefined {
  if (!isRecord(schema) || depth > 16) return undefined;
  const props = resolve(schema.properties);
  if (isRecord(props) && Object.hasOwn(props, token)) {
    return { schema: props[token], required: Array.isArray(schema.required) && schema.required.includes(token) };
  }
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const found = ownProperty(resolve(part), token, resolve, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function isIntegerSchema(s: unknown): boolean {
  if (!isRecord(s)) return false;
  return s.type === 'integer' || s.type === 'number' || (Array.isArray(s.type) && (s.type.includes('integer') || s.type.includes('number')));
}

function isStringSchema(s: unknown): boolean {
  if (!isRecord(s)) return false;
  if (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string'))) return true;
  return typeof s.const === 'string' || (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string'));
}

/**
 * Every envelope of a contract: `x-errata.envelope` (the default, named `default`) and each one
 * under `x-errata.envelopes` (FastAPI's request-validation list beside its coded envelope).
 * `metaRequired`: the default envelope requires meta (read with the catalog).
 */
export function readEnvelopes(errata: Record<string, unknown>, resolve: Resolve, base = '/x-errata'): { envelopes: Envelope[]; metaRequired: boolean; problems: Problem[] } {
  const first = readEnvelope(errata.envelope, `${base}/envelope`, resolve);
  const envelopes = first.envelope ? [first.envelope] : [];
  const problems = [...first.problems];
  const named = resolve(errata.envelopes);
  if (named !== undefined && !isRecord(named)) {
    problems.push({ pointer: `${base}/envelopes`, message: '`envelopes` must map names to envelopes', fix: 'write `envelopes: { validation: { schema: { $ref: ... }, code: { const: VALIDATION_FAILED }, message: /detail/0/msg } }`' });
  }
  for (const [name, raw] of Object.entries(isRecord(named) ? named : {})) {
    const at = `${base}/envelopes${toPointer([name])}`;
    if (!ENVELOPE_NAME.test(name) || name === 'default') {
      problems.push({ pointer: at, message: `${JSON.stringify(name)} cannot name an envelope${name === 'default' ? ' (`default` is `x-errata.envelope`)' : ''}`, fix: 'use letters, digits, `-` and `_`, starting with a letter, e.g. `validation`' });
      continue;
    }
    const read = readEnvelope(raw, at, resolve, name);
    problems.push(...read.problems);
    if (read.envelope) envelopes.push(read.envelope);
  }
  return { envelopes, metaRequired: first.metaRequired, problems };
}

const ENVELOPE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * The envelope a response's body uses: the one `x-errata-envelope` names; else the one whose
 * schema its authored body `$ref`s (the default first); else the default. Generate and lint
 * (error-response-envelope) both choose with it.
 */
export function chooseEnvelope<E extends { name: string }>(explicit: unknown, reached: readonly E[], envelopes: readonly E[]): { envelope: E | undefined } | { message: string; fix: string } {
  if (explicit !== undefined) {
    const found = typeof explicit === 'string' ? envelopes.find((e) => e.name === explicit) : undefined;
    if (found) return { envelope: found };
    const names = envelopes.map((e) => e.name);
    return { message: `\`x-errata-envelope\` is ${JSON.stringify(explicit)}, which names no envelope`, fix: `${typeof explicit === 'string' && suggestNames(explicit, names).length > 0 ? `did you mean ${suggestNames(explicit, names).join(' or ')}? ` : ''}name one of ${names.join(', ')} (\`default\` is \`x-errata.envelope\`, the others are keys of \`x-errata.envelopes\`)` };
  }
  return { envelope: reached[0] ?? envelopes[0] };
}

/**
 * What is wrong with the envelopes' fixed codes, given the catalog: each must be a catalog code,
 * and no two envelopes fix the same one. Pointers are under `base` (`/x-errata`); generate and
 * lint (error-response-envelope) both report these.
 */
export function fixedCodeProblems(envelopes: readonly Envelope[], known: (code: string) => boolean, base = '/x-errata'): Problem[] {
  const problems: Problem[] = [];
  envelopes.forEach((e, i) => {
    if (e.fixedCode === undefined) return;
    const pointer = `${base}/envelopes${toPointer([e.name, 'code', 'const'])}`;
    if (!known(e.fixedCode)) problems.push({ pointer, message: `the fixed code ${e.fixedCode} of the envelope ${e.name} is not in the catalog`, fix: `add ${e.fixedCode} to the catalog's \`codes\`, or correct the name` });
    const first = envelopes.findIndex((o) => o.fixedCode === e.fixedCode);
    if (first < i) problems.push({ pointer, message: `the envelopes ${envelopes[first]!.name} and ${e.name} both fix the code ${e.fixedCode}`, fix: 'give each envelope with a fixed code its own code' });
  });
  return problems;
}

/**
 * An envelope with a `docUrl` member (Stripe's `doc_url`) sends every code's address in the
 * reference: each code then needs one, from `x-errata.docsUrl` or its own `type`.
 */
export function docUrlProblems(envelopes: readonly Envelope[], codes: readonly { code: string; type?: string }[], docsUrl: unknown, base = '/x-errata'): Problem[] {
  if (typeof docsUrl === 'string') return [];
  return envelopes.flatMap((e) => {
    if (!e.docUrl) return [];
    const missing = codes.filter((c) => c.type === undefined).map((c) => c.code);
    if (missing.length === 0) return [];
    const pointer = e.name === 'default' ? `${base}/envelope/docUrl` : `${base}/envelopes${toPointer([e.name, 'docUrl'])}`;
    const listed = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
    return [{ pointer, message: `the envelope ${e.name} sends each code's documentation address at ${toPointer(e.docUrl)}, but ${listed} ${missing.length === 1 ? 'has' : 'have'} none`, fix: "set `x-errata.docsUrl` to the published reference (each code's address becomes `${docsUrl}#error-CODE`), or give each code a `type`" }];
  });
}
