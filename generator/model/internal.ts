import type { Problem } from '../errors';
import { suggestCodes } from './names';
import type { CatalogCode, Operation } from './types';

const AT = '/x-errata/internal';

/** The status the internal error is sent with: 500 when the code has it, else its first 5xx. */
export function internalStatus(code: CatalogCode): number {
  return code.statuses.includes(500) ? 500 : code.statuses.find((s) => s >= 500)!;
}

/**
 * The code unexpected exceptions become. Named by `x-errata.internal`; without it, the catalog's
 * only code with status 500. Never guessed: several 500 codes fail until the contract names one,
 * and another 5xx (a 502 "payment provider unavailable" is not an internal error) is never taken
 * by position; without a 500 code there is none unless named (the server answers a bare 500).
 */
export function readInternal(raw: unknown, codes: readonly CatalogCode[], written: ReadonlySet<string>): { internal?: CatalogCode; problems: Problem[] } {
  if (raw !== undefined) {
    if (typeof raw !== 'string') return { problems: [{ pointer: AT, message: '`x-errata.internal` must name a catalog code', fix: 'write `internal: INTERNAL` (the code unexpected exceptions become)' }] };
    const code = codes.find((c) => c.code === raw);
    if (!code) {
      // A code the catalog writes but rejects is reported there.
      if (written.has(raw)) return { problems: [] };
      const near = suggestCodes(raw, codes.map((c) => c.code));
      return { problems: [{ pointer: AT, message: `the internal error code ${JSON.stringify(raw)} is not in the catalog`, fix: near.length ? `did you mean ${near.join(' or ')}?` : 'add it to the catalog with a 5xx status, or name an existing 5xx code' }] };
    }
    if (!code.statuses.some((s) => s >= 500)) {
      return { problems: [{ pointer: AT, message: `the internal error code ${raw} has no 5xx status (only ${code.statuses.join(', ')})`, fix: 'name a code whose catalog status is 500 (or another 5xx)' }] };
    }
    return { internal: code, problems: [] };
  }
  const five = codes.filter((c) => c.statuses.includes(500));
  if (five.length === 1) return { internal: five[0]!, problems: [] };
  // No 500 code: no internal code (a bare 500), never another 5xx picked by position.
  if (five.length === 0) return { problems: [] };
  return {
    problems: [
      {
        pointer: '/x-errata',
        message: `the catalog has several codes with status 500 (${five.map((c) => c.code).join(', ')}), so errata cannot tell which one unexpected exceptions become`,
        fix: `name it: \`x-errata: { internal: ${five[0]!.code} }\``,
      },
    ],
  };
}

/**
 * Every operation can send the internal error: an exception can happen anywhere, and a client reads
 * a code its operation does not declare as unknown. `unrouted`: codes any request may get.
 */
export function internalProblems(internal: CatalogCode, operations: readonly Operation[], unrouted: ReadonlySet<string>): Problem[] {
  if (unrouted.has(internal.code)) return [];
  const status = internalStatus(internal);
  return operations
    .filter((op) => !(op.rules[internal.code]?.statuses.includes(status) ?? false))
    .map((op) => ({ pointer: `${op.pointer}/responses`, ...internalMissing(internal.code, status, op.id) }));
}

/** One wording for generate and lint (errata/internal-error-code). */
export function internalMissing(code: string, status: number, operation: string): { message: string; fix: string } {
  return {
    message: `${operation} cannot return ${code} with status ${status}, the internal error (what an unexpected exception becomes)`,
    fix: `add a ${status} response listing it (a shared one: \`'${status}': { $ref: '#/components/responses/Internal' }\`), or list ${code} under \`x-errata.unrouted\``,
  };
}
