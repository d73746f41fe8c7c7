import { contractOf, format, onKey, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, describeUses, errorUses, headerNames, listedCodes, responseUses, UsesByResponse } from '../responses';

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
            const reasons: string[] = [];
            const at429 = uses.filter((u) => u.status === '429');
            const codes = listedCodes(node);
            const backoffOnly = codes.length > 0 && codes.every((c) => contract?.codes?.get(c)?.retry === 'backoff');
            if (at429.length > 0 && !backoffOnly) reasons.push(`it is used as a 429 (${describeUses(at429)}) whose codes are not all \`retry: backoff\``);
            const after = listedCodes(node).filter((c) => contract?.codes?.get(c)?.retry === 'after');
            if (after.length > 0) reasons.push(`it declares ${after.join(', ')}, which the catalog marks \`retry: after\``);
            if (reasons.length === 0 || headerNames(node, ctx, location).includes('retry-after')) continue;
            ctx.report({
              message: format(
                `this response does not declare a \`Retry-After\` header, but ${reasons.join(' and ')}`,
                "add `headers: { Retry-After: { $ref: '#/components/headers/RetryAfter' } }` (seconds until the client may retry)",
              ),
              location: onKey(location),
            });
          }
        },
      },
      ...apiResponses((map, ctx) => {
        for (const use of errorUses(responseUses(map, ctx))) responses.add(use);
      }),
    };
  },
};
