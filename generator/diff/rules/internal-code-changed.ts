import type { Rule, Side } from '../types';

/** `x-errata.internal` when written, else the catalog entry the model took as the only 500 code. */
function where(side: Side, code: string): string {
  const errata = side.document['x-errata'] as Record<string, unknown> | undefined;
  if (errata && 'internal' in errata) return '/x-errata/internal';
  return side.model.codes.find((c) => c.code === code)?.pointer ?? '/x-errata';
}

export const internalCodeChanged: Rule<'contract'> = {
  id: 'internal-code-changed',
  level: 'breaking',
  subject: 'contract',
  why: 'unexpected exceptions now arrive as another code (or as a bare 500): clients and alerts that recognise a server failure by the old internal code stop seeing it, or read a known code with another meaning',
  *check({ old, new: next }) {
    const [a, b] = [old.model.internal, next.model.internal];
    if (a === undefined || a === b) return;
    yield {
      code: a,
      message: `unexpected exceptions become ${b ?? 'a bare 500 (no internal code)'} instead of ${a}`,
      old: where(old, a),
      new: b ? where(next, b) : '/x-errata',
    };
  },
};
