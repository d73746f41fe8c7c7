import type { Rule } from '../types';
import { codeDelta, entry, opName, retriedByStatus, statusList } from './shared';

/**
 * A code added under 502/503/504 with `retry: none`: a client that does not know the code falls
 * back to the status, and retries those.
 */
export const codeAddedRetried: Rule<'operation'> = {
  id: 'code-added-retried',
  level: 'breaking',
  subject: 'operation',
  why: 'an old client does not know the code, so it retries by status (502/503/504) what the new contract says must not be retried',
  *check(pair) {
    for (const code of codeDelta(pair).added) {
      if (!retriedByStatus(pair, code)) continue;
      const reach = pair.after.codes.get(code);
      yield {
        code,
        operation: opName(pair.after),
        status: statusList(reach),
        message: `${code} is new on ${opName(pair.after)} under ${statusList(reach)} with retry: none, but a client generated from the old contract retries an unknown code under that status`,
        new: entry(reach),
      };
    }
  },
};
