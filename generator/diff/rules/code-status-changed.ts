import type { Rule } from '../types';
import { entry, opName, statusList } from './shared';

/** A code an operation keeps answering now comes with a status it did not come with before. */
export const codeStatusChanged: Rule<'operation'> = {
  id: 'code-status-changed',
  level: 'breaking',
  subject: 'operation',
  why: 'a client narrows on the HTTP status before it reads the code, so a code met under a new status is misread or not handled',
  *check({ before, after }) {
    for (const [code, now] of after.codes) {
      const was = before.codes.get(code);
      if (!was) continue;
      const moved = [...now.statuses.entries()].find(([s]) => !was.statuses.has(s));
      if (!moved) continue;
      yield {
        code,
        operation: opName(after),
        status: String(moved[0]),
        message: `${code} on ${opName(after)} moves from ${statusList(was)} to ${statusList(now)}: a client generated from the old contract does not expect it under ${moved[0]}`,
        old: entry(was),
        new: moved[1].pointer,
      };
    }
  },
};
