import { unroutedKeyProblem, unroutedNotAMap } from '../../model/unrouted';
import { isRecord } from '../../model/resolve';
import { format, onKey, Resolver } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';

/**
 * `x-errata.unrouted` maps exact error statuses to responses (its responses are judged by the other
 * rules, as an operation's are). The words are the model's: `errata generate` reports the same.
 */
export const unroutedErrors: ErrataRule = {
  id: 'unrouted-errors',
  severity: 'error',
  create() {
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          const resolver = new Resolver(ctx);
          const errata = resolver.locate({ node: root, location: ctx.location }, ['x-errata']);
          if (!isRecord(errata.node) || errata.node.unrouted === undefined) return;
          const found = resolver.locate(errata, ['unrouted']);
          if (!isRecord(found.node)) {
            const words = unroutedNotAMap();
            ctx.report({ message: format(words.message, words.fix), location: found.location });
            return;
          }
          for (const key of Object.keys(found.node)) {
            const words = unroutedKeyProblem(key);
            if (words) ctx.report({ message: format(words.message, words.fix), location: onKey(found.location.child(key)) });
          }
        },
      },
    };
  },
};
