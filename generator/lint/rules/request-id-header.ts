import { contractOf, format, onKey, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { describeUses } from '../../model/unrouted';
import { apiResponses, headerNames, responseUses, UsesByResponse } from '../responses';

/** Where the envelope names a request-id header, every response, success or error, declares it. */
export const requestIdHeader: ErrataRule = {
  id: 'request-id-header',
  severity: 'error',
  create(options, env) {
    let header: string | undefined;
    const responses = new UsesByResponse();
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          const contract: LintContract = contractOf(root, ctx, options, env.contentDir);
          header = contract.envelope?.requestIdHeader;
        },
        leave(_root: unknown, ctx: UserContext) {
          if (!header) return;
          for (const { location, node, uses } of responses.groups.values()) {
            if (headerNames(node, ctx, location).includes(header.toLowerCase())) continue;
            ctx.report({
              message: format(
                `this response (${describeUses(uses)}) does not declare the \`${header}\` header, which the envelope says every response carries`,
                `add \`headers: { ${header}: { $ref: '#/components/headers/RequestId' } }\` (or wherever your request-id header is defined)`,
              ),
              location: onKey(location),
            });
          }
        },
      },
      ...apiResponses((map, ctx) => {
        if (!header) return;
        for (const use of responseUses(map, ctx)) responses.add(use);
      }),
    };
  },
};
