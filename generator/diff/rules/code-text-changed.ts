import type { Rule } from '../types';

const TEXT = ['description', 'fix', 'message', 'notes'] as const;

/** Description, how-to-fix, default message or notes of a code changed. */
export const codeTextChanged: Rule<'code'> = {
  id: 'code-text-changed',
  level: 'safe',
  subject: 'code',
  why: 'text is for people: clients branch on the code, never on its wording (the envelope says not to parse the message)',
  *check({ before, after }) {
    for (const key of TEXT) {
      if ((before[key] ?? '') === (after[key] ?? '')) continue;
      yield { code: after.code, message: `${after.code}: ${key} text changed`, old: `${before.pointer}/${key}`, new: `${after.pointer}/${key}` };
    }
  },
};
