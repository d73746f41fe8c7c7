import type { Rule } from '../types';
import { operationKey } from '../view';

/**
 * Operations only one side has. Their codes are not compared: a client generated from the old
 * contract never calls an operation it does not know, and one that was removed answers whatever
 * the server answers unknown routes (the unrouted errors).
 */
export const operationAdded: Rule<'contract'> = {
  id: 'operation-added',
  level: 'safe',
  subject: 'contract',
  why: 'a client generated from the old contract never calls an operation it was not generated with',
  *check({ old, new: next }) {
    const known = new Set(old.model.operations.map(operationKey));
    for (const op of next.model.operations) {
      if (!known.has(operationKey(op))) yield { operation: op.id, message: `${op.id} (${op.method.toUpperCase()} ${op.path}) is new, with error codes ${[...new Set(op.errors.flatMap((e) => e.codes))].join(', ') || '(none)'}`, new: op.pointer };
    }
  },
};

export const operationRemoved: Rule<'contract'> = {
  id: 'operation-removed',
  level: 'breaking',
  subject: 'contract',
  why: 'a client generated from the old contract still calls it, and gets an unrouted error (404/405) none of its typed branches expect',
  *check({ old, new: next }) {
    const kept = new Set(next.model.operations.map(operationKey));
    for (const op of old.model.operations) {
      if (!kept.has(operationKey(op))) yield { operation: op.id, message: `${op.id} (${op.method.toUpperCase()} ${op.path}) is gone: old clients calling it get an error they were not generated for`, old: op.pointer };
    }
  },
};
