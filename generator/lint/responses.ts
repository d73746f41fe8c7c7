import { isErrorStatus } from '../model/catalog';
import { parsePointer } from '../model/pointer';
import { isRecord, refOf } from '../model/resolve';
import { UNROUTED, UNROUTED_POINTER, type ResponseGroup } from '../model/unrouted';
import { placeOf, resolveChain } from './contract';
import { format, onKey } from './contract';
import type { ErrataRule, Location, UserContext, Visitor } from './redocly';

/**
 * A `Responses` visitor that sees only the API's own operations, as `errata generate` does:
 * webhooks and callbacks describe requests the API sends, whose responses come from the
 * client's server, and a path item under `components` is an API operation only where `paths`
 * uses it (walked first). Redocly calls `leave` exactly for the nodes it called `enter` on.
 */
export function apiResponses(enter: (responses: unknown, ctx: UserContext) => void): Visitor {
  let outside = 0;
  const notTheApi = { enter: () => void outside++, leave: () => void outside-- };
  return {
    WebhooksMap: notTheApi,
    Callback: notTheApi,
    NamedPathItems: notTheApi,
    Responses: {
      enter(responses: unknown, ctx: UserContext) {
        if (outside === 0) enter(responses, ctx);
      },
    },
  };
}

/** One response as one operation uses it under one status. */
export interface ResponseUse {
  status: string;
  node: Record<string, unknown>;
  /** Where the response is authored: the shared component's file when it is a `$ref`. */
  location: Location;
  operation: string;
}

/**
 * Every response of the operation whose `Responses` map is being visited. Redocly visits a
 * shared response only the first time it is reached, but the status it is used under differs
 * per operation, so rules read the map itself and resolve each entry.
 */
export function responseUses(responses: unknown, ctx: UserContext): ResponseUse[] {
  if (!isRecord(responses)) return [];
  // Every errata rule visits the same map; resolve it once.
  const cached = seen.get(responses);
  if (cached) return cached;
  const operation = operationName(ctx);
  const uses: ResponseUse[] = [];
  for (const [status, raw] of Object.entries(responses)) {
    let node = raw;
    let location = ctx.location.child(status);
    if (refOf(raw) !== undefined) {
      const resolved = resolveChain(ctx, raw);
      if (!resolved.location) continue;
      node = resolved.node;
      location = resolved.location;
    }
    if (isRecord(node)) uses.push({ status, node, location, operation });
  }
  seen.set(responses, uses);
  return uses;
}

const seen = new WeakMap<object, ResponseUse[]>();

export const errorUses = (uses: readonly ResponseUse[]) => uses.filter((u) => isErrorStatus(u.status));

/** Whether the `Responses` map being visited is `x-errata.unrouted` (typed so by the plugin). */
export function isUnrouted(ctx: UserContext): boolean {
  return ctx.location.pointer === `#${UNROUTED_POINTER}`;
}

export function operationName(ctx: UserContext): string {
  if (isUnrouted(ctx)) return UNROUTED;
  const op = ctx.parent;
  if (isRecord(op) && typeof op.operationId === 'string') return op.operationId;
  // `#/paths/~1things~1{id}/get/responses`, or `#/get/responses` in a path item's own file.
  const tokens = parsePointer(ctx.location.pointer);
  const method = tokens[tokens.length - 2] ?? 'operation';
  const pathKey = tokens[tokens.length - 3];
  const where = pathKey?.startsWith('/') ? pathKey : ctx.location.source.absoluteRef.split('/').pop();
  return `${method.toUpperCase()} ${where}`;
}

/** Uses grouped by the authored response, so a shared response is judged, and reported, once. */
export class UsesByResponse {
  readonly groups = new Map<string, { location: Location; node: Record<string, unknown>; uses: ResponseUse[] }>();

  add(use: ResponseUse): void {
    const place = placeOf(use.location);
    const group = this.groups.get(place);
    if (group) group.uses.push(use);
    else this.groups.set(place, { location: use.location, node: use.node, uses: [use] });
  }
}

/**
 * A rule for a header RFC 9110 requires on every response used under one status (401's
 * `WWW-Authenticate`, 405's `Allow`): judged once per authored response, at the end, with every
 * use of it named; `missing` (in model/unrouted.ts) gives the words, which generate shares.
 */
export function requiredHeaderRule(id: string, status: string, missing: (group: ResponseGroup) => { message: string; fix: string } | undefined): ErrataRule {
  return {
    id,
    severity: 'error',
    create() {
      const responses = new UsesByResponse();
      return {
        Root: {
          leave(_root: unknown, ctx: UserContext) {
            for (const { location, node, uses } of responses.groups.values()) {
              const words = missing({ uses, listed: [], headers: headerNames(node, ctx, location) });
              if (words) ctx.report({ message: format(words.message, words.fix), location: onKey(location) });
            }
          },
        },
        ...apiResponses((map, ctx) => {
          for (const use of errorUses(responseUses(map, ctx))) if (use.status === status) responses.add(use);
        }),
      };
    },
  };
}

/**
 * Whether an authored place is met for the first time: a shared response, or a code listed in
 * one, is judged once however many operations use it.
 *
 *   const first = firstTime();
 *   for (const use of errorUses(uses)) if (first(use.location)) check(use);
 */
export function firstTime(): (location: Location) => boolean {
  const met = new Set<string>();
  return (location) => {
    const place = placeOf(location);
    if (met.has(place)) return false;
    met.add(place);
    return true;
  };
}

/** `x-errata-codes` as written: a list of codes unless the author got it wrong. */
export function declaredCodes(response: Record<string, unknown>): unknown {
  return response['x-errata-codes'];
}

/** Each entry of a response's `x-errata-codes` list, and where it is written; none when it is not a list. */
export function declaredItems(use: { node: Record<string, unknown>; location: Location }): { code: unknown; location: Location }[] {
  const declared = declaredCodes(use.node);
  return Array.isArray(declared) ? declared.map((code, i) => ({ code, location: use.location.child(['x-errata-codes', i]) })) : [];
}

/** The code names a response lists (entries that are not strings are error-code-defined's to report). */
export function listedCodes(response: Record<string, unknown>): string[] {
  const declared = declaredCodes(response);
  return Array.isArray(declared) ? declared.filter((c): c is string => typeof c === 'string') : [];
}

/** Header names of a response, lower-cased (HTTP header names are case-insensitive). */
export function headerNames(response: Record<string, unknown>, ctx: UserContext, location: Location): string[] {
  const headers = resolveChain(ctx, response.headers, location.source.absoluteRef).node;
  return isRecord(headers) ? Object.keys(headers).map((h) => h.toLowerCase()) : [];
}
