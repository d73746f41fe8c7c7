import type { Rule } from '../types';
import { codeDelta, entry, opName, statusList } from './shared';

/** An operation no longer answers a code. */
export const codeRemoved: Rule<'operation'> = {
  id: 'code-removed',
  level: 'safe',
  subject: 'operation',
  why: 'the client handles fewer cases than it was generated for; its branch for the code is dead but harmless',
  *check(pair) {
    for (const code of codeDelta(pair).removed) {
      const reach = pair.before.codes.get(code);
      yield { code, operation: opName(pair.before), status: statusList(reach), message: `${code} is no longer answered by ${opName(pair.before)} (was ${statusList(reach)})`, old: entry(reach) };
    }
  },
};
