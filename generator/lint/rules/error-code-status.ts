import { statusAdmits } from '../../model/catalog';
import { contractOf, format, placeOf, type LintContract } from '../contract';
import type { ErrataRule, Location, UserContext } from '../redocly';
import { statusNotAllowed } from '../../model/response-words';
import { apiResponses, declaredItems, errorUses, responseUses, type ResponseUse } from '../responses';

/**
 * A code is declared only under a status the catalog allows for it. A shared response can be used
 * under several statuses, so misuses are gathered per listed code and reported once, at the end.
 */
export const errorCodeStatus: ErrataRule = {
  id: 'error-code-status',
  severity: 'error',
  create(options, env) {
    let contract: LintContract | undefined;
    const misuses = new Map<string, { location: Location; code: string; uses: ResponseUse[] }>();
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          contract = contractOf(root, ctx, options, env.contentDir);
        },
        leave(_root: unknown, ctx: UserContext) {
          const codes = contract?.codes;
          if (!codes) return;
          for (const { location, code, uses } of misuses.values()) {
            const words = statusNotAllowed(code, uses, codes.get(code)!.statuses);
            ctx.report({ message: format(words.message, words.fix), location });
          }
        },
      },
      ...apiResponses((responses, ctx) => {
        const codes = contract?.codes;
        if (!codes) return;
        for (const use of errorUses(responseUses(responses, ctx))) {
          for (const { code, location } of declaredItems(use)) {
            const entry = typeof code === 'string' ? codes.get(code) : undefined;
            if (!entry || statusAdmits(use.status, entry.statuses)) continue;
            const place = placeOf(location);
            const misuse = misuses.get(place);
            if (misuse) misuse.uses.push(use);
            else misuses.set(place, { location, code: entry.code, uses: [use] });
          }
        }
      }),
    };
  },
};
