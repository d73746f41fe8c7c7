import type { Rule } from '../types';
import { opName } from './shared';

/** An operation declares an error status key it did not declare before. */
export const errorStatusAdded: Rule<'operation'> = {
  id: 'error-status-added',
  level: 'warning',
  subject: 'operation',
  why: 'a client that switches over the statuses it was generated with has no branch for the new one; one that checks `ok` is unaffected',
  *check({ before, after }) {
    for (const key of after.responses.keys()) {
      if (before.responses.has(key)) continue;
      yield { operation: opName(after), status: key, message: `${opName(after)} declares a new error status ${key}`, new: after.keys.get(key) };
    }
  },
};
