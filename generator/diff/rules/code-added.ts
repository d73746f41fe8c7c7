import type { Rule } from '../types';
import { codeDelta, entry, opName, retriedByStatus, statusList } from './shared';

/** An operation answers a code it did not answer before. */
export const codeAdded: Rule<'operation'> = {
  id: 'code-added',
  level: 'warning',
  subject: 'operation',
  why: 'a tolerant client handles an unknown code like any error of its status; an exhaustive one (a switch with no default) has no branch for it',
  *check(pair) {
    for (const code of codeDelta(pair).added) {
      if (retriedByStatus(pair, code)) continue;
      const reach = pair.after.codes.get(code);
      yield { code, operation: opName(pair.after), status: statusList(reach), message: `${code} is new on ${opName(pair.after)} under ${statusList(reach)}`, new: entry(reach) };
    }
  },
};
