import { isRecord } from '../../model/resolve';
import { format, onKey } from '../contract';
import type { ErrataRule } from '../redocly';
import { apiResponses, declaredCodes, errorUses, firstTime, operationName, responseUses } from '../responses';

/** Every operation says which error codes it can return, under every error status it declares. */
export const operationErrorCodes: ErrataRule = {
  id: 'operation-error-codes',
  severity: 'error',
  create() {
    const first = firstTime();
    return {
      ...apiResponses((responses, ctx) => {
        const uses = responseUses(responses, ctx);
        const errors = errorUses(uses);
        if (errors.length === 0) {
          ctx.report({
            message: format(
              `${operationName(ctx)} declares no error responses, so clients cannot know which error codes it returns`,
              "add its 4xx/5xx responses, each with `x-errata-codes`, e.g. `'401': { $ref: '#/components/responses/Unauthorized' }`",
            ),
            location: ctx.location.key(),
          });
        }
        for (const use of errors) {
          if (!first(use.location)) continue;
          const declared = declaredCodes(use.node);
          if (declared === undefined) {
            ctx.report({
              message: format(
                `the ${use.status} response of ${use.operation} does not declare its error codes`,
                'list the codes it can return: `x-errata-codes: [SOME_CODE]` (each one defined in the catalog)',
              ),
              location: onKey(use.location),
            });
          } else if (!Array.isArray(declared) || declared.length === 0) {
            ctx.report({
              message: format(
                `\`x-errata-codes\` of the ${use.status} response of ${use.operation} must be a non-empty list of codes`,
                `write \`x-errata-codes: [SOME_CODE]\`${isRecord(declared) ? ' (a list, not a mapping)' : ''}`,
              ),
              location: use.location.child('x-errata-codes'),
            });
          }
        }
      }),
    };
  },
};
