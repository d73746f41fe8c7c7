import { isErrorStatus } from './catalog';
import type { RetryPolicy } from './types';

/**
 * Errors no operation owns (an unknown route's 404, a wrong method's 405, a gateway's 413 or 429):
 * `x-errata.unrouted`, a responses map like an operation's, answered on any request. The words
 * here are said by `errata generate` (readOperations) and by the lint rules alike.
 */
export const UNROUTED = 'x-errata.unrouted';
export const UNROUTED_POINTER = '/x-errata/unrouted';

type Words = { message: string; fix: string };

const EXACT_ERROR = /^[45]\d\d$/;

/** `x-errata.unrouted` is a map of exact error statuses to responses. */
export function unroutedNotAMap(): Words {
  return {
    message: '`x-errata.unrouted` must map exact error statuses to responses',
    fix: "write `unrouted: { '404': { $ref: '#/components/responses/NotFound' } }` (see docs/conventions.md, unrouted errors)",
  };
}

/**
 * A status key of `x-errata.unrouted` that is not an exact 4xx/5xx status: no request is routed
 * there, so no precedence between `4XX` and `404` can apply, and a success is never an error.
 */
export function unroutedKeyProblem(key: string): Words | undefined {
  if (EXACT_ERROR.test(key)) return undefined;
  return {
    message: `\`x-errata.unrouted\` lists a response under ${JSON.stringify(key)}, but unrouted errors are keyed by an exact error status (404, 405, 413, 429…)`,
    fix: isErrorStatus(key) ? `write one entry per status the codes are sent with instead of ${key}` : 'remove it: only 4xx and 5xx statuses are errors',
  };
}

/** `getImage 401`, `getImage 401, deleteImage 401 and 2 more`: the uses of one authored response. */
export function describeUses(uses: readonly { operation: string; status: string }[], limit = 3): string {
  const names = [...new Set(uses.map((u) => `${u.operation} ${u.status}`))];
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}

/**
 * One authored error response with every use of it: what the header rules judge, once per response.
 * `listed`: its `x-errata-codes` strings as written; `headers`: lower-cased names.
 */
export interface ResponseGroup {
  uses: { operation: string; status: string }[];
  listed: readonly string[];
  headers: readonly string[];
}

/**
 * A 429, and a response declaring a `retry: after` code, declares `Retry-After` (RFC 9110
 * §10.2.3), unless every code of the 429 says `retry: backoff`. Lint's retry-after-header.
 */
export function retryAfterMissing(group: ResponseGroup, retryOf: (code: string) => RetryPolicy | undefined): Words | undefined {
  if (group.headers.includes('retry-after')) return undefined;
  const reasons: string[] = [];
  const at429 = group.uses.filter((u) => u.status === '429');
  const backoffOnly = group.listed.length > 0 && group.listed.every((c) => retryOf(c) === 'backoff');
  if (at429.length > 0 && !backoffOnly) reasons.push(`it is used as a 429 (${describeUses(at429)}) whose codes are not all \`retry: backoff\``);
  const after = group.listed.filter((c) => retryOf(c) === 'after');
  if (after.length > 0) reasons.push(`it declares ${after.join(', ')}, which the catalog marks \`retry: after\``);
  if (reasons.length === 0) return undefined;
  return {
    message: `this response does not declare a \`Retry-After\` header, but ${reasons.join(' and ')}`,
    fix: "add `headers: { Retry-After: { $ref: '#/components/headers/RetryAfter' } }` (seconds until the client may retry)",
  };
}

/** A 405 names the methods the target accepts: RFC 9110 §15.5.6 requires `Allow`. Lint's allow-header. */
export function allowMissing(group: ResponseGroup): Words | undefined {
  const at405 = group.uses.filter((u) => u.status === '405');
  if (at405.length === 0 || group.headers.includes('allow')) return undefined;
  return {
    message: `this response is used as a 405 (${describeUses(at405)}) but does not declare an \`Allow\` header, which RFC 9110 §15.5.6 requires on every 405`,
    fix: "add `headers: { Allow: { $ref: '#/components/headers/Allow' } }` (the methods the path accepts, e.g. `GET, DELETE`)",
  };
}

/** A 401 tells the client how to authenticate: RFC 9110 §15.5.2 requires a challenge. Lint's www-authenticate-header. */
export function wwwAuthenticateMissing(group: ResponseGroup): Words | undefined {
  const at401 = group.uses.filter((u) => u.status === '401');
  if (at401.length === 0 || group.headers.includes('www-authenticate')) return undefined;
  return {
    message: `this response is used as a 401 (${describeUses(at401)}) but does not declare a \`WWW-Authenticate\` header, which RFC 9110 §15.5.2 requires on every 401`,
    fix: "add `headers: { WWW-Authenticate: { $ref: '#/components/headers/WwwAuthenticate' } }` (the challenge, e.g. `Bearer realm=\"api\"`)",
  };
}
