import { allowMissing } from '../../model/unrouted';
import { format, onKey } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, errorUses, headerNames, responseUses, UsesByResponse } from '../responses';

/**
 * A 405 names the methods its target accepts: RFC 9110 §15.5.6 requires `Allow` on every 405 (an
 * unrouted one above all: a wrong method). Judged once per authored response; generate says the same.
 */
export const allowHeader: ErrataRule = {
  id: 'allow-header',
  severity: 'error',
  create() {
    const responses = new UsesByResponse();
    return {
      Root: {
        leave(_root: unknown, ctx: UserContext) {
          for (const { location, node, uses } of responses.groups.values()) {
            const words = allowMissing({ uses, listed: [], headers: headerNames(node, ctx, location) });
            if (words) ctx.report({ message: format(words.message, words.fix), location: onKey(location) });
          }
        },
      },
      ...apiResponses((map, ctx) => {
        for (const use of errorUses(responseUses(map, ctx))) if (use.status === '405') responses.add(use);
      }),
    };
  },
};
