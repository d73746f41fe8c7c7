import { contractOf, format, onKey, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { retryAfterMissing } from '../../model/unrouted';
import { apiResponses, errorUses, headerNames, listedCodes, responseUses, UsesByResponse } from '../responses';

/**
 * A 429, and a response declaring a code whose catalog `retry` is `after`, tells the client when
 * to come back: it declares `Retry-After` (RFC 9110 §10.2.3). A 429 whose codes all say
 * `retry: backoff` documents exponential backoff instead, and needs no header.
 */
export const retryAfterHeader: ErrataRule = {
  id: 'retry-after-header',
  severity: 'error',
  create(options, env) {
    let contract: LintContract | undefined;
    const responses = new UsesByResponse();
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          contract = contractOf(root, ctx, options, env.contentDir);
        },
        leave(_root: unknown, ctx: UserContext) {
          for (const { location, node, uses } of responses.groups.values()) {
            // The words and the judgement are the model's: `errata generate` reports the same.
            const words = retryAfterMissing({ uses, listed: listedCodes(node), headers: headerNames(node, ctx, location) }, (c) => contract?.codes?.get(c)?.retry);
            if (words) ctx.report({ message: format(words.message, words.fix), location: onKey(location) });
          }
        },
      },
      ...apiResponses((map, ctx) => {
        for (const use of errorUses(responseUses(map, ctx))) responses.add(use);
      }),
    };
  },
};
