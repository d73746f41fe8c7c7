import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintConfig, lintInProcess, parseJsonReports, run } from './redocly';
import { fixtureCopy, FIXTURES } from './setup';

const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'mistakes/expected.json'), 'utf8')) as unknown[];

describe('a contract with every kind of mistake', () => {
  it('gets exactly the expected problems, at the expected file, pointer, line and column, from `redocly lint --format json`', async () => {
    const dir = await fixtureCopy('mistakes');
    const r = await run(['lint', 'openapi.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const [report] = parseJsonReports(r.stdout);
    expect(report!.problems).toEqual(expected);
    expect(report!.totals).toEqual({ errors: expected.length - 1, warnings: 1, ignored: 0 });
    // Every rule is shown at work, and every problem says how to fix it.
    expect(new Set(report!.problems.map((p) => p.ruleId)).size).toBe(8);
    for (const p of report!.problems) expect(p.message).toMatch(/\. Fix: \S/);
  });

  it("gets the same problems from Redocly's lint library in-process, the harness of the rule tests", async () => {
    const dir = await fixtureCopy('mistakes');
    const problems = await lintInProcess(path.join(dir, 'openapi.yaml'), await lintConfig(dir, { extends: ['errata/all'] }), dir);
    expect(problems).toEqual(expected);
  });
});
