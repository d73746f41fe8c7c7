import type { Rule } from '../types';
import { entry, opName, statusList } from './shared';

/** A code keeps its statuses on an operation but one of them: the client handles fewer cases. */
export const codeStatusRemoved: Rule<'operation'> = {
  id: 'code-status-removed',
  level: 'safe',
  subject: 'operation',
  why: 'the code still arrives under a status the client expects it under; the branch for the dropped status is simply never taken',
  *check({ before, after }) {
    for (const [code, now] of after.codes) {
      const was = before.codes.get(code);
      if (!was || [...now.statuses.keys()].some((s) => !was.statuses.has(s))) continue;
      const dropped = [...was.statuses.entries()].find(([s]) => !now.statuses.has(s));
      if (!dropped) continue;
      yield {
        code,
        operation: opName(after),
        status: String(dropped[0]),
        message: `${code} on ${opName(after)} is no longer answered with ${dropped[0]} (now ${statusList(now)})`,
        old: dropped[1].pointer,
        new: entry(now),
      };
    }
  },
};
