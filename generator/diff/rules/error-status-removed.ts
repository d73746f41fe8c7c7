import type { Rule } from '../types';
import { opName } from './shared';

/** An operation no longer declares an error status key. */
export const errorStatusRemoved: Rule<'operation'> = {
  id: 'error-status-removed',
  level: 'safe',
  subject: 'operation',
  why: 'the client handles fewer statuses; a code that moved to another status is reported by code-status-changed',
  *check({ before, after }) {
    for (const key of before.responses.keys()) {
      if (after.responses.has(key)) continue;
      yield { operation: opName(before), status: key, message: `${opName(before)} no longer declares error status ${key}`, old: before.keys.get(key) };
    }
  },
};
