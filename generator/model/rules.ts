import type { CatalogCode, CodeRule, ErrorResponse } from './types';

/**
 * Status-key precedence, computed once. OpenAPI answers a status with the response of its exact key
 * (`404`) when the operation has one, else of its range (`4XX`, any case), else `default`
 * (https://spec.openapis.org/oas/v3.1.0#responses-object). Everything that asks "can this
 * operation send this code with this status" (builder types, the server guard, the client, lint,
 * docs) reads the rules computed here, never the status keys themselves.
 */

const EXACT_KEY = /^\d{3}$/;
const RANGE_KEY = /^[1-5]XX$/i;

/** Whether a response key names one status (`404`), not a range (`4XX`) or `default`. */
export function isExactKey(key: string): boolean {
  return EXACT_KEY.test(key);
}

/** The key of `keys` whose response answers `status`, or undefined when none does. */
export function keyFor(status: number, keys: readonly string[]): string | undefined {
  const exact = keys.find((k) => EXACT_KEY.test(k) && Number(k) === status);
  if (exact !== undefined) return exact;
  const range = keys.find((k) => RANGE_KEY.test(k) && k[0] === String(status)[0]);
  if (range !== undefined) return range;
  return keys.includes('default') ? 'default' : undefined;
}

/** The catalog statuses of a code that a response under `key` can carry, given all the operation's keys. */
export function statusesUnder(key: string, keys: readonly string[], catalogStatuses: readonly number[]): number[] {
  return catalogStatuses.filter((s) => keyFor(s, keys) === key);
}

/**
 * A listing no response can carry: `code` is listed under `key`, its catalog allows that key
 * (`statusAdmits`), but every one of its statuses is answered by another key of the operation
 * (an exact `404` beside `4XX`, or `4XX` beside `default`). `operation` names the operation as the
 * caller shows it; generate and lint both report with these words.
 */
export function unreachableListing(code: CatalogCode, key: string, keys: readonly string[], listed: (key: string) => readonly string[], operation: string): { message: string; fix: string } | undefined {
  if (statusesUnder(key, keys, code.statuses).length > 0) return undefined;
  const winners = [...new Set(code.statuses.map((s) => keyFor(s, keys)).filter((k): k is string => k !== undefined))];
  const listing = winners.filter((k) => listed(k).includes(code.code));
  const missing = winners.filter((k) => !listed(k).includes(code.code));
  const answered = code.statuses.map((s) => `${s} by the ${keyFor(s, keys)} response`).join(', ');
  return {
    message: `${code.code} is listed under ${key} in ${operation}, but no response there can carry it: its status${code.statuses.length > 1 ? 'es are' : ' is'} answered ${answered} (an exact status key wins over a range, a range over default)`,
    fix:
      missing.length === 0
        ? `remove it from ${key}: ${listing.join(' and ')} already list${listing.length > 1 ? '' : 's'} it`
        : `list it under ${missing.join(' or ')} instead of ${key}${listing.length ? ` (${listing.join(' and ')} already list${listing.length > 1 ? '' : 's'} it)` : ''}`,
  };
}

/**
 * Per code an operation declares, its rule: the statuses it may be sent with, whether `meta` is
 * required, and whether Retry-After is: always for `retry: after` codes; for other codes (except
 * `retry: backoff`, which says "back off, no header") when a response it is sent under declares
 * the header. A 429 does not force the header by itself: an API may document backoff only.
 */
export function operationRules(errors: readonly ErrorResponse[], codes: ReadonlyMap<string, CatalogCode>, metaInEnvelope: boolean): Record<string, CodeRule> {
  const keys = errors.map((e) => e.status);
  const rules = new Map<string, CodeRule>();
  for (const response of errors) {
    for (const name of response.codes) {
      const code = codes.get(name);
      if (!code) continue;
      const statuses = statusesUnder(response.status, keys, code.statuses);
      if (statuses.length === 0) continue;
      const before = rules.get(name);
      const withHeader = response.headers.includes('retry-after') && code.retry !== 'backoff';
      rules.set(name, {
        statuses: [...new Set([...(before?.statuses ?? []), ...statuses])].sort((a, b) => a - b),
        meta: metaInEnvelope && code.metaRequired,
        retryAfter: (before?.retryAfter ?? false) || code.retry === 'after' || withHeader,
      });
    }
  }
  return Object.fromEntries(rules);
}
