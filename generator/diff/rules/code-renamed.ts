import type { Rule } from '../types';
import { codeDelta, entry, opName } from './shared';

/** One code removed and one added under the same operation and status: a rename candidate. */
export const codeRenamed: Rule<'operation'> = {
  id: 'code-renamed',
  level: 'breaking',
  subject: 'operation',
  why: 'a client that branches on the old code never takes that branch again, and meets a code it does not know in its place',
  *check(pair) {
    for (const { from, to, key } of codeDelta(pair).renamed) {
      yield {
        code: to,
        operation: opName(pair.after),
        status: key,
        message: `${from} → ${to} on ${opName(pair.after)} under ${key}: rename candidate (one code removed and one added under the same status); clients branching on ${from} stop matching`,
        old: entry(pair.before.codes.get(from)),
        new: entry(pair.after.codes.get(to)),
      };
    }
  },
};
