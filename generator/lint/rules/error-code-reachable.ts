import { statusAdmits } from '../../model/catalog';
import { unreachableListing } from '../../model/rules';
import { contractOf, format, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, declaredItems, errorUses, listedCodes, responseUses } from '../responses';

/**
 * Every code a response lists can be sent with it: a code listed under `4XX` whose only status has
 * its own exact `404` response (or under `default` while exact keys and ranges answer all its
 * statuses) is read by every client as the other response's. `errata generate` refuses the same
 * listings with the same words (`unreachableListing`).
 */
export const errorCodeReachable: ErrataRule = {
  id: 'error-code-reachable',
  severity: 'error',
  create(options, env) {
    let contract: LintContract | undefined;
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          contract = contractOf(root, ctx, options, env.contentDir);
        },
      },
      ...apiResponses((responses, ctx) => {
        const codes = contract?.codes;
        if (!codes) return;
        const uses = errorUses(responseUses(responses, ctx));
        const keys = uses.map((u) => u.status);
        // As the model keeps them: listed codes the catalog defines and allows under the key.
        const admitted = (status: string, node: Record<string, unknown>) => listedCodes(node).filter((c) => codes.has(c) && statusAdmits(status, codes.get(c)!.statuses));
        const listed = (key: string) => {
          const use = uses.find((u) => u.status === key);
          return use ? admitted(use.status, use.node) : [];
        };
        for (const use of uses) {
          const seen = new Set<string>();
          for (const { code, location } of declaredItems(use)) {
            if (typeof code !== 'string' || seen.has(code) || !admitted(use.status, use.node).includes(code)) continue;
            seen.add(code);
            const problem = unreachableListing(codes.get(code)!, use.status, keys, listed, use.operation);
            if (problem) ctx.report({ message: format(problem.message, problem.fix), location });
          }
        }
      }),
    };
  },
};
