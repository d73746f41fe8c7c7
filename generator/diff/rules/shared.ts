import type { OperationPair, OperationView, Reach } from '../types';
import { UNROUTED_ID } from '../view';

/** The status a change is told under: `404`, or `413, 422` for a code met under several. */
export function statusList(reach: Reach | undefined): string {
  return [...(reach?.statuses.keys() ?? [])].sort((a, b) => a - b).join(', ');
}

/** The entry of a code in its first `x-errata-codes` list, as a pointer. */
export function entry(reach: Reach | undefined): string | undefined {
  return reach ? [...reach.statuses.values()][0]?.pointer : undefined;
}

export function opName(view: OperationView): string {
  return view.op.id === UNROUTED_ID ? 'any request (unrouted)' : view.op.id;
}

function keysOf(reach: Reach): Set<string> {
  return new Set([...reach.statuses.values()].map((s) => s.key));
}

export interface CodeDelta {
  added: string[];
  removed: string[];
  /** One removed and one added under the same status key: probably the same error renamed. */
  renamed: { from: string; to: string; key: string }[];
}

const deltas = new WeakMap<OperationPair, CodeDelta>();

/** Codes added to and removed from an operation, with rename candidates paired off (computed once per pair). */
export function codeDelta(pair: OperationPair): CodeDelta {
  const cached = deltas.get(pair);
  if (cached) return cached;
  const removed = [...pair.before.codes.keys()].filter((c) => !pair.after.codes.has(c));
  const added = [...pair.after.codes.keys()].filter((c) => !pair.before.codes.has(c));
  const renamed: CodeDelta['renamed'] = [];
  const keys = new Set([...removed.flatMap((c) => [...keysOf(pair.before.codes.get(c)!)])]);
  for (const key of [...keys].sort()) {
    const gone = removed.filter((c) => keysOf(pair.before.codes.get(c)!).has(key));
    const come = added.filter((c) => keysOf(pair.after.codes.get(c)!).has(key));
    if (gone.length === 1 && come.length === 1 && !renamed.some((r) => r.from === gone[0] || r.to === come[0])) {
      renamed.push({ from: gone[0]!, to: come[0]!, key });
    }
  }
  const result = {
    added: added.filter((c) => !renamed.some((r) => r.to === c)),
    removed: removed.filter((c) => !renamed.some((r) => r.from === c)),
    renamed,
  };
  deltas.set(pair, result);
  return result;
}

/** Statuses at which errata's client (and most others) retry a response whose code they do not know. */
export const RETRIED_BY_STATUS = new Set([502, 503, 504]);

/** Whether an added code is one an old client would retry although the new contract forbids it. */
export function retriedByStatus(pair: OperationPair, code: string): boolean {
  const entry = pair.new.model.codes.find((c) => c.code === code);
  return entry?.retry === 'none' && [...(pair.after.codes.get(code)?.statuses.keys() ?? [])].some((s) => RETRIED_BY_STATUS.has(s));
}
