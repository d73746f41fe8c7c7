import { codesMissing, codesNotAList, noErrorResponses } from '../../model/response-words';
import { isRecord } from '../../model/resolve';
import { format, onKey } from '../contract';
import type { ErrataRule } from '../redocly';
import { apiResponses, declaredCodes, errorUses, firstTime, isUnrouted, operationName, responseUses } from '../responses';

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
        if (errors.length === 0 && !isUnrouted(ctx)) {
          const words = noErrorResponses(operationName(ctx));
          ctx.report({ message: format(words.message, words.fix), location: ctx.location.key() });
        }
        for (const use of errors) {
          if (!first(use.location)) continue;
          const declared = declaredCodes(use.node);
          if (declared === undefined) {
            const words = codesMissing(use.status, use.operation);
            ctx.report({ message: format(words.message, words.fix), location: onKey(use.location) });
          } else if (!Array.isArray(declared) || declared.length === 0) {
            const words = codesNotAList(use.status, use.operation, isRecord(declared));
            ctx.report({ message: format(words.message, words.fix), location: use.location.child('x-errata-codes') });
          }
        }
      }),
    };
  },
};
