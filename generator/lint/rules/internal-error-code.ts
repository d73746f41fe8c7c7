import { internalMissing, internalStatus } from '../../model/internal';
import { keyFor } from '../../model/rules';
import { contractOf, format, type LintContract } from '../contract';
import type { ErrataRule, Location, UserContext } from '../redocly';
import { apiResponses, errorUses, isUnrouted, listedCodes, operationName, responseUses, type ResponseUse } from '../responses';

/**
 * The internal error code is chosen, not guessed (`x-errata.internal`, or the catalog's only 500
 * code), and every operation can return it: an exception can happen anywhere. `errata generate`
 * refuses the same contracts with the same words (generator/model/internal.ts).
 */
export const internalErrorCode: ErrataRule = {
  id: 'internal-error-code',
  severity: 'error',
  create(options, env) {
    let contract: LintContract | undefined;
    // Judged at the end: a code listed under `x-errata.unrouted` (walked after `paths`) excuses every operation.
    const operations: { location: Location; operation: string; uses: ResponseUse[] }[] = [];
    const unrouted: ResponseUse[] = [];
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          contract = contractOf(root, ctx, options, env.contentDir);
          for (const p of contract.internalProblems) ctx.report({ message: format(p.message, p.fix), location: p.location });
        },
        leave(_root: unknown, ctx: UserContext) {
          const internal = contract?.internal;
          if (!internal) return;
          const status = internalStatus(internal);
          // Listed under `x-errata.unrouted` with its status, any request may get it (as generate judges).
          if (unrouted.some((u) => u.status === String(status) && listedCodes(u.node).includes(internal.code))) return;
          for (const { location, operation, uses } of operations) {
            const key = keyFor(status, uses.map((u) => u.status));
            const use = uses.find((u) => u.status === key);
            if (use && listedCodes(use.node).includes(internal.code)) continue;
            const problem = internalMissing(internal.code, status, operation);
            ctx.report({ message: format(problem.message, problem.fix), location });
          }
        },
      },
      ...apiResponses((responses, ctx) => {
        const uses = errorUses(responseUses(responses, ctx));
        if (isUnrouted(ctx)) unrouted.push(...uses);
        else operations.push({ location: ctx.location, operation: operationName(ctx), uses });
      }),
    };
  },
};
