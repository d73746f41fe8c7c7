import type { Problem } from '../errors';
import type { Document } from '../load/load-contract';
import { isErrorStatus, statusAdmits } from './catalog';
import { CODE_PATTERN, identifier, suggestCodes } from './names';
import { toPointer } from './pointer';
import { isRecord, refOf, type Resolve } from './resolve';
import { chooseEnvelope } from './envelope';
import { codesMissing, codesNotAList, foreignBody, foreignMediaType, inlineBody, noErrorResponses, notTheFixedCode, statusNotAllowed } from './response-words';
import { operationRules, unreachableListing } from './rules';
import type { CatalogCode, Envelope, ErrorResponse, Operation, UnroutedRule } from './types';
import { allowMissing, retryAfterMissing, UNROUTED, UNROUTED_POINTER, unroutedKeyProblem, unroutedNotAMap, type ResponseGroup } from './unrouted';

/** https://spec.openapis.org/oas/v3.1.0#path-item-object */
export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Every operation with, per error status, the codes it declares (`x-errata-codes`).
 * https://spec.openapis.org/oas/v3.1.0#responses-object
 * A shared response is checked once, at its component, however many operations use it.
 */
export function readOperations(
  document: Document,
  codes: ReadonlyMap<string, CatalogCode>,
  resolve: Resolve,
  metaInEnvelope = true,
  written?: ReadonlySet<string>,
  envelopes: readonly Envelope[] = [],
  unroutedNode?: unknown,
): { operations: Operation[]; problems: Problem[]; unrouted: { errors: ErrorResponse[]; rules: Record<string, UnroutedRule> } } {
  const problems: Problem[] = [];
  const envelope = envelopes.find((e) => e.name === 'default');
  const checked = new Set<string>();
  // Every use of each authored error response, for the header rules (judged once per response).
  const groups = new Map<string, ResponseGroup>();
  // Codes listed under a status the catalog does not give them, with every use (lint's words).
  const misuses = new Map<string, { code: CatalogCode; uses: { operation: string; status: string }[] }>();
  const operations: Operation[] = [];
  const ids = new Map<string, string>();
  const paths = resolve(document.paths);
  const rootSecurity = document.security;

  /**
   * One `responses` map (an operation's, or `x-errata.unrouted`): its error responses, each judged
   * once however many maps use it (`checked`), and its success statuses.
   */
  function readResponses(rawResponses: unknown, base: string[], id: string): { errors: ErrorResponse[]; lists: unknown[][]; successStatuses: string[] } {
    const errors: ErrorResponse[] = [];
    const lists: unknown[][] = [];
    const successStatuses: string[] = [];
    const responses = resolve(rawResponses);
    for (const [status, rawResponse] of Object.entries(isRecord(responses) ? responses : {})) {
      if (!isErrorStatus(status)) {
        successStatuses.push(status);
        continue;
      }
      const ref = refOf(rawResponse);
      const shared = ref && /^#\/components\/responses\/([^/]+)$/.exec(ref)?.[1];
      const responsePointer = ref?.startsWith('#') ? ref.slice(1) : toPointer([...base, status]);
      const response = resolve(rawResponse);
      if (!isRecord(response)) continue;
      const declared = response['x-errata-codes'];
      const list = Array.isArray(declared) ? declared.filter((c): c is string => typeof c === 'string') : [];
      const key = `${responsePointer} ${status}`;
      if (!checked.has(key)) {
        checked.add(key);
        // The list itself is judged once per response; its codes' statuses once per status it is used under.
        const firstUse = !checked.has(responsePointer);
        checked.add(responsePointer);
        if (firstUse) problems.push(...responseProblems(response, responsePointer, status, id, envelopes, resolve));
        problems.push(...checkCodes(declared, responsePointer, status, codes, firstUse, written));
      }
      if (Array.isArray(declared)) {
        declared.forEach((code, i) => {
          const entry = typeof code === 'string' ? codes.get(code) : undefined;
          if (!entry || statusAdmits(status, entry.statuses) || declared.indexOf(code) !== i) return;
          const at = `${responsePointer}/x-errata-codes/${i}`;
          const misuse = misuses.get(at) ?? { code: entry, uses: [] };
          misuse.uses.push({ operation: id, status });
          misuses.set(at, misuse);
        });
      }
      const chosen = envelopeOf(response, envelopes, resolve);
      const headers = resolve(response.headers);
      const headerNames = isRecord(headers) ? Object.keys(headers).map((h) => h.toLowerCase()) : [];
      const group = groups.get(responsePointer) ?? { uses: [], listed: list, headers: headerNames };
      group.uses.push({ operation: id, status });
      groups.set(responsePointer, group);
      lists.push(Array.isArray(declared) ? declared : []);
      errors.push({
        status,
        codes: [...new Set(list.filter((c) => codes.get(c) && statusAdmits(status, codes.get(c)!.statuses)))],
        headers: headerNames,
        pointer: responsePointer,
        ...(shared ? { sharedName: shared } : {}),
        ...(typeof response.description === 'string' ? { description: response.description } : {}),
        ...(chosen && chosen.name !== 'default' ? { envelope: chosen.name } : {}),
      });
    }
    problems.push(...unreachable(errors, lists, codes, id));
    return { errors, lists, successStatuses };
  }

  const operationIds = new OperationIds(resolve);
  for (const [path, rawItem] of Object.entries(isRecord(paths) ? paths : {})) {
    const item = resolve(rawItem);
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const op = resolve(item[method]);
      if (!isRecord(op)) continue;
      const pointer = toPointer(['paths', path, method]);
      operationIds.seen(op, pointer);
      const operationId = typeof op.operationId === 'string' ? op.operationId : undefined;
      const id = operationId ?? `${method} ${path}`;
      const ident = identifier(id);
      const clash = ids.get(ident);
      if (clash !== undefined) {
        problems.push({ pointer: `${pointer}/operationId`, message: `operation ${JSON.stringify(id)} and ${JSON.stringify(clash)} both become the name ${ident} in generated code`, fix: 'give the operations distinct operationIds' });
      }
      ids.set(ident, id);

      const { errors, successStatuses } = readResponses(op.responses, ['paths', path, method, 'responses'], id);
      if (errors.length === 0) problems.push({ pointer, ...noErrorResponses(id) });
      const security = op.security ?? rootSecurity;
      operations.push({
        id,
        ...(operationId ? { operationId } : {}),
        method,
        path,
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        ...(typeof op.description === 'string' ? { description: op.description } : {}),
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        deprecated: op.deprecated === true,
        authenticated: Array.isArray(security) && security.length > 0 && security.every((s) => isRecord(s) && Object.keys(s).length > 0),
        pointer,
        errors,
        rules: operationRules(errors, codes, metaInEnvelope),
        successStatuses,
      });
    }
  }
  problems.push(...operationIds.elsewhere(document));
  const unrouted = readUnrouted(unroutedNode);
  for (const [pointer, { code, uses }] of misuses) problems.push({ pointer, ...statusNotAllowed(code.code, uses, code.statuses) });
  // The header rules (lint's retry-after-header, allow-header) judge every response; generate
  // judges the responses unrouted errors use, which nothing else checks before they go out on any
  // request. (An operation's missing Retry-After is lint's: `errata diff` reads such contracts.)
  for (const [pointer, group] of groups) {
    if (!group.uses.some((u) => u.operation === UNROUTED)) continue;
    for (const words of [retryAfterMissing(group, (c) => codes.get(c)?.retry), allowMissing(group)]) if (words) problems.push({ pointer, ...words });
  }
  return { operations, problems, unrouted };

  /** `x-errata.unrouted`: read like an operation's responses, keyed by exact error statuses only. */
  function readUnrouted(node: unknown): { errors: ErrorResponse[]; rules: Record<string, UnroutedRule> } {
    if (node === undefined) return { errors: [], rules: {} };
    const map = resolve(node);
    if (!isRecord(map)) {
      problems.push({ pointer: UNROUTED_POINTER, ...unroutedNotAMap() });
      return { errors: [], rules: {} };
    }
    for (const key of Object.keys(map)) {
      const words = unroutedKeyProblem(key);
      if (words) problems.push({ pointer: toPointer(['x-errata', 'unrouted', key]), ...words });
    }
    const { errors } = readResponses(map, ['x-errata', 'unrouted'], UNROUTED);
    const exact = errors.filter((e) => unroutedKeyProblem(e.status) === undefined);
    const own = new Set(['retry-after', 'www-authenticate', 'content-type', ...(envelope?.requestId.header ? [envelope.requestId.header.toLowerCase()] : [])]);
    const rules = Object.entries(operationRules(exact, codes, metaInEnvelope)).map(([code, rule]) => {
      const headers = exact.filter((e) => e.codes.includes(code) && rule.statuses.includes(Number(e.status))).flatMap((e) => e.headers);
      return [code, { ...rule, headers: [...new Set(headers.filter((h) => !own.has(h)))].sort() }] as const;
    });
    return { errors: exact, rules: Object.fromEntries(rules) };
  }
}

/**
 * One error response, judged once however many operations use it: it lists its codes, and the body
 * it authors (if any) is the envelope. The words are lint's (operation-error-codes,
 * error-response-envelope).
 */
function responseProblems(response: Record<string, unknown>, pointer: string, status: string, operation: string, envelopes: readonly Envelope[], resolve: Resolve): Problem[] {
  const problems: Problem[] = [];
  const declared = response['x-errata-codes'];
  if (declared === undefined) problems.push({ pointer, ...codesMissing(status, operation) });
  else if (!Array.isArray(declared) || declared.length === 0) problems.push({ pointer: `${pointer}/x-errata-codes`, ...codesNotAList(status, operation, isRecord(declared)) });
  const chosen = chooseEnvelope(response['x-errata-envelope'], reachedEnvelopes(response, envelopes, resolve), envelopes);
  if ('message' in chosen) return [...problems, { pointer: `${pointer}/x-errata-envelope`, message: chosen.message, fix: chosen.fix }];
  const envelope = chosen.envelope;
  if (!envelope) return problems;
  if (envelope.fixedCode !== undefined && Array.isArray(declared)) {
    declared.forEach((code, i) => {
      if (typeof code === 'string' && code !== envelope.fixedCode) problems.push({ pointer: `${pointer}/x-errata-codes/${i}`, ...notTheFixedCode(status, operation, code, envelope) });
    });
  }
  const content = resolve(response.content);
  if (!isRecord(content)) return problems;
  for (const [mediaType, raw] of Object.entries(content)) {
    const at = `${pointer}/content/${toPointer([mediaType]).slice(1)}`;
    if (mediaType !== envelope.mediaType) {
      problems.push({ pointer: at, ...foreignMediaType(status, operation, mediaType, envelope) });
      continue;
    }
    const schema = isRecord(raw) ? raw.schema : undefined;
    const ref = refOf(schema);
    if (ref === undefined) {
      problems.push({ pointer: schema === undefined ? at : `${at}/schema`, ...inlineBody(status, operation, envelope) });
      continue;
    }
    // However many `$ref`s lead there, the body is the envelope when it ends at the envelope's node.
    const reaches = resolve(schema) === resolve({ $ref: envelope.schemaRef });
    if (!reaches) problems.push({ pointer: `${at}/schema/$ref`, ...foreignBody(status, operation, ref, envelope) });
  }
  return problems;
}

/** The envelopes whose schema a response's authored body `$ref`s (however many `$ref`s lead there). */
function reachedEnvelopes(response: Record<string, unknown>, envelopes: readonly Envelope[], resolve: Resolve): Envelope[] {
  const content = resolve(response.content);
  if (!isRecord(content)) return [];
  const targets = Object.values(content).map((m) => (isRecord(m) && refOf(m.schema) !== undefined ? resolve(m.schema) : undefined));
  return envelopes.filter((e) => targets.some((t) => t !== undefined && t === resolve({ $ref: e.schemaRef })));
}

/** The envelope a response's body uses (see chooseEnvelope); undefined when it names none that exists. */
function envelopeOf(response: Record<string, unknown>, envelopes: readonly Envelope[], resolve: Resolve): Envelope | undefined {
  const chosen = chooseEnvelope(response['x-errata-envelope'], reachedEnvelopes(response, envelopes, resolve), envelopes);
  return 'envelope' in chosen ? chosen.envelope : undefined;
}

/** Listings of one operation that no response can carry (see `unreachableListing`). */
function unreachable(errors: readonly ErrorResponse[], lists: readonly unknown[][], codes: ReadonlyMap<string, CatalogCode>, operation: string): Problem[] {
  const keys = errors.map((e) => e.status);
  const listed = (key: string) => errors.find((e) => e.status === key)?.codes ?? [];
  return errors.flatMap((response, r) =>
    lists[r]!.flatMap((code, index) => {
      const entry = typeof code === 'string' && lists[r]!.indexOf(code) === index && response.codes.includes(code) ? codes.get(code) : undefined;
      const found = entry && unreachableListing(entry, response.status, keys, listed, operation);
      return found ? [{ pointer: `${response.pointer}/x-errata-codes/${index}`, ...found }] : [];
    }),
  );
}

function checkCodes(declared: unknown, responsePointer: string, status: string, codes: ReadonlyMap<string, CatalogCode>, judgeList: boolean, written?: ReadonlySet<string>): Problem[] {
  if (declared === undefined) return [];
  const at = `${responsePointer}/x-errata-codes`;
  if (!Array.isArray(declared)) {
    if (!judgeList) return [];
    return [{ pointer: at, message: '`x-errata-codes` must be a list of error codes', fix: 'write `x-errata-codes: [NOT_FOUND]`' }];
  }
  const problems: Problem[] = [];
  const earlier = new Set<unknown>();
  declared.forEach((code, i) => {
    const pointer = `${at}/${i}`;
    const listed = listedCodeProblem(code, earlier, codes, written);
    earlier.add(code);
    const entry = typeof code === 'string' ? codes.get(code) : undefined;
    if (listed) {
      if (judgeList) problems.push({ pointer, ...listed });
    }
  });
  return problems;
}

/**
 * What is wrong with one entry of an `x-errata-codes` list, whatever status the response is used
 * under: it is not a string, it is in `earlier` (the entries before it), or the catalog lacks it.
 * `errata generate` and `errata lint` (error-code-defined) both judge entries with it, so they
 * say the same thing. `written`: every key under the catalog's `codes`, valid or not; a code the
 * catalog writes but rejects is reported there, not again as unknown here.
 */
export function listedCodeProblem(code: unknown, earlier: ReadonlySet<unknown>, codes: ReadonlyMap<string, CatalogCode>, written?: ReadonlySet<string>): { message: string; fix: string } | undefined {
  if (typeof code !== 'string') return { message: `${JSON.stringify(code)} is not an error code`, fix: 'list code names as strings, e.g. `NOT_FOUND`' };
  if (earlier.has(code)) return { message: `${code} is listed twice in this response`, fix: 'list each code once' };
  if (codes.has(code) || written?.has(code)) return undefined;
  const near = suggestCodes(code, codes.keys());
  return {
    message: `unknown error code ${JSON.stringify(code)}: it is not in the catalog`,
    fix:
      near.length > 0
        ? `did you mean ${near.join(' or ')}? Otherwise add it to the catalog's \`codes\``
        : `add it to the catalog's \`codes\`${CODE_PATTERN.test(code) ? '' : ` (codes match ${CODE_PATTERN.source})`}, or remove it from this response`,
  };
}

/**
 * "The id MUST be unique among all operations described in the API"
 * (https://spec.openapis.org/oas/v3.1.0#operation-object). openapi-typescript's `operations` has
 * one member per operationId, webhooks', shared path items' and callbacks' included: one used twice
 * would be declared twice there. Two paths' operations are told apart by name already (`identifier`);
 * this reads the others. An operation reached twice through `$ref`s is one operation.
 */
class OperationIds {
  private readonly first = new Map<string, string>();
  private readonly operations = new Set<object>();
  private readonly problems: Problem[] = [];
  /** Path operations' callbacks, read after every path operation (a path's id comes first). */
  private readonly pathCallbacks: [unknown, string][] = [];

  constructor(private readonly resolve: Resolve) {}

  /** A path's operation (readOperations reads it). */
  seen(op: Record<string, unknown>, pointer: string): void {
    this.operations.add(op);
    if (typeof op.operationId === 'string' && !this.first.has(op.operationId)) this.first.set(op.operationId, pointer);
    if (op.callbacks !== undefined) this.pathCallbacks.push([op.callbacks, `${pointer}/callbacks`]);
  }

  /** The operations outside `paths`, once readOperations has read every path. */
  elsewhere(document: Document): Problem[] {
    for (const [callbacks, pointer] of this.pathCallbacks) this.callbacks(callbacks, pointer);
    for (const [name, item] of this.entries(document.webhooks)) this.pathItem(item, toPointer(['webhooks', name]));
    const components = this.resolve(document.components);
    if (isRecord(components)) {
      for (const [name, item] of this.entries(components.pathItems)) this.pathItem(item, toPointer(['components', 'pathItems', name]));
      this.callbacks(components.callbacks, '/components/callbacks');
    }
    return this.problems;
  }

  private pathItem(node: unknown, pointer: string): void {
    const item = this.resolve(node);
    if (!isRecord(item)) return;
    for (const method of METHODS) {
      const op = this.resolve(item[method]);
      if (!isRecord(op) || this.operations.has(op)) continue;
      this.operations.add(op);
      const at = `${pointer}/${method}`;
      if (typeof op.operationId === 'string') {
        const first = this.first.get(op.operationId);
        if (first === undefined) this.first.set(op.operationId, at);
        else {
          this.problems.push({
            pointer: `${at}/operationId`,
            message: `operationId ${JSON.stringify(op.operationId)} is already the operationId of ${first}: an operationId names one operation in the whole API (generated code declares each once)`,
            fix: 'give this operation an operationId of its own; webhooks and callbacks count too',
          });
        }
      }
      this.callbacks(op.callbacks, `${at}/callbacks`);
    }
  }

  private callbacks(node: unknown, pointer: string): void {
    for (const [name, callback] of this.entries(node)) {
      for (const [expression, item] of this.entries(callback)) this.pathItem(item, `${pointer}/${toPointer([name, expression]).slice(1)}`);
    }
  }

  private entries(node: unknown): [string, unknown][] {
    const resolved = this.resolve(node);
    return isRecord(resolved) ? Object.entries(resolved) : [];
  }
}
