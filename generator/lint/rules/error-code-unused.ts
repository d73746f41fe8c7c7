import { contractOf, format, onKey, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, errorUses, listedCodes, responseUses } from '../responses';

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
          const locate = contract?.locateInCatalog;
          if (!locate || !contract?.codes) return;
          for (const code of contract.codes.values()) {
            if (used.has(code.code)) continue;
            ctx.report({
              message: format(
                `${code.code} is in the catalog, but no operation declares it, so no client expects it`,
                `list it in \`x-errata-codes\` of the ${code.statuses.join('/')} response of each operation that returns it, or remove it from the catalog`,
              ),
              // At the name, also when the entry is a `$ref`.
              location: onKey(locate(['codes', code.code], false).location),
            });
          }
        },
      },
      ...apiResponses((map, ctx) => {
        if (!contract?.locateInCatalog) return;
        for (const use of errorUses(responseUses(map, ctx))) for (const code of listedCodes(use.node)) used.add(code);
      }),
    };
  },
};
