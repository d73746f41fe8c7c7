import { contractOf, format, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, declaredCodes, errorUses, responseUses } from '../responses';

/**
 * A catalog code that no operation declares is dead documentation, or an operation forgot it.
 * A warning by default: a code may be defined before the endpoint that returns it ships.
 */
export const errorCodeUnused: ErrataRule = {
  id: 'error-code-unused',
  severity: 'warn',
  create(options, env) {
    let contract: LintContract | undefined;
    const used = new Set<string>();
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          contract = contractOf(root, ctx, options, env.contentDir);
        },
        leave(_root: unknown, ctx: UserContext) {
          const at = contract?.catalogAt;
          if (!at || !contract?.codes) return;
          for (const code of contract.codes.values()) {
            if (used.has(code.code)) continue;
            ctx.report({
              message: format(
                `${code.code} is in the catalog, but no operation declares it, so no client expects it`,
                `list it in \`x-errata-codes\` of the ${code.statuses.join('/')} response of each operation that returns it, or remove it from the catalog`,
              ),
              location: at.location.child(['codes', code.code]).key(),
            });
          }
        },
      },
      ...apiResponses((map, ctx) => {
        if (!contract?.catalogAt) return;
        for (const use of errorUses(responseUses(map, ctx))) {
          const declared = declaredCodes(use.node);
          if (Array.isArray(declared)) for (const c of declared) if (typeof c === 'string') used.add(c);
        }
      }),
    };
  },
};
