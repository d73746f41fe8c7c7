import { format, onKey } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';
import { apiResponses, describeUses, errorUses, headerNames, responseUses, UsesByResponse } from '../responses';

/**
 * A 401 tells the client how to authenticate: RFC 9110 §15.5.2 requires a `WWW-Authenticate`
 * challenge on every 401 (§11.6.1). Judged once per authored response, like retry-after-header.
 */
export const wwwAuthenticateHeader: ErrataRule = {
  id: 'www-authenticate-header',
  severity: 'error',
  create() {
    const responses = new UsesByResponse();
    return {
      Root: {
        leave(_root: unknown, ctx: UserContext) {
          for (const { location, node, uses } of responses.groups.values()) {
            if (headerNames(node, ctx, location).includes('www-authenticate')) continue;
            ctx.report({
              message: format(
                `this response is used as a 401 (${describeUses(uses)}) but does not declare a \`WWW-Authenticate\` header, which RFC 9110 §15.5.2 requires on every 401`,
                "add `headers: { WWW-Authenticate: { $ref: '#/components/headers/WwwAuthenticate' } }` (the challenge, e.g. `Bearer realm=\"api\"`)",
              ),
              location: onKey(location),
            });
          }
        },
      },
      ...apiResponses((map, ctx) => {
        for (const use of errorUses(responseUses(map, ctx))) if (use.status === '401') responses.add(use);
      }),
    };
  },
};
