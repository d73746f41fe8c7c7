import type { Rule } from '../types';
import { opName } from './shared';

/** An error response stops declaring `Retry-After`. */
export const retryAfterHeaderDropped: Rule<'operation'> = {
  id: 'retry-after-header-dropped',
  level: 'breaking',
  subject: 'operation',
  why: 'a client that waits for `Retry-After` before retrying falls back to guessing, and retries too early or too late',
  *check({ before, after }) {
    for (const [key, was] of before.responses) {
      const now = after.responses.get(key);
      if (!now || !was.headers.includes('retry-after') || now.headers.includes('retry-after')) continue;
      yield { operation: opName(after), status: key, message: `${opName(after)} ${key} no longer declares Retry-After`, old: `${was.pointer}/headers`, new: after.keys.get(key) };
    }
  },
};
