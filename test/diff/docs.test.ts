import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../generator/diff';

describe('docs/diff.md', () => {
  it('lists every rule with its default level, and no rule that does not exist', () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/diff.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z-]+)` \| (breaking|warning|safe) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(RULES.map((r) => [r.id, r.level]));
  });
});
