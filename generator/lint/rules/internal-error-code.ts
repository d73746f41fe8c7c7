import { internalMissing, internalStatus } from '../../model/internal';
import { keyFor } from '../../model/rules';
import { contractOf, format, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, errorUses, listedCodes, operationName, responseUses } from '../responses';

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
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          contract = contractOf(root, ctx, options, env.contentDir);
          for (const p of contract.internalProblems) ctx.report({ message: format(p.message, p.fix), location: p.location });
        },
      },
      ...apiResponses((responses, ctx) => {
        const internal = contract?.internal;
        if (!internal) return;
        const uses = errorUses(responseUses(responses, ctx));
        const status = internalStatus(internal);
        const key = keyFor(status, uses.map((u) => u.status));
        const use = uses.find((u) => u.status === key);
        if (use && listedCodes(use.node).includes(internal.code)) return;
        const problem = internalMissing(internal.code, status, operationName(ctx));
        ctx.report({ message: format(problem.message, problem.fix), location: ctx.location });
      }),
    };
  },
};
