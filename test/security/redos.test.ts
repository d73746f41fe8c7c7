import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRATA_BIN, ROOT, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

/**
 * Issue 12, item 17: Redocly's example rules run a contract's `pattern` on a backtracking regex
 * engine (upstream). docs/security.md documents it and shows how to bound a lint run in CI; this
 * runs that very command, with a shorter bound, on a contract that hangs Redocly.
 */
describe('bounding a lint run (issue 12, item 17)', () => {
  it('the command docs/security.md gives kills a lint that backtracks catastrophically, and fails', { timeout: 600_000 }, () => {
    const doc = readFileSync(path.join(ROOT, 'docs/security.md'), 'utf8');
    expect(doc).toContain("pattern: '^(a+)+$'");
    const command = /^timeout .*npx errata lint.*$/m.exec(doc)?.[0];
    expect(command, 'docs/security.md shows a `timeout … npx errata lint` command').toBeDefined();
    const files = miniContract();
    files['paths/thing.yaml'] = files['paths/thing.yaml']!.replace(
      "    '200': { description: ok, content: { application/json: { schema: { type: object } } } }",
      // A function: `$'` in a replacement string means "the text after the match".
      () => "    '200':\n      description: ok\n      content:\n        application/json:\n          schema: { type: string, pattern: '^(a+)+$' }\n          example: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'",
    );
    const dir = tempTree(files);
    // The bound is the command's own parameter: the regex below backtracks 2^48 times, so any bound
    // kills the run; a short one keeps the test from spending CPU on the hang. It is scaled by the
    // machine's load, so that on a busy machine the run still gets past start-up into the regex
    // (errata and Redocly start in about 1.5 s on a quiet one).
    const bound = Math.ceil(4 * Math.max(1, loadavg()[0]! / availableParallelism()));
    const run = command!.replace(/ \d+ npx errata lint openapi\/openapi\.yaml/, ` ${bound} "${process.execPath}" "${ERRATA_BIN}" lint openapi.yaml`);
    expect(run).toContain(ERRATA_BIN);
    // A run that outlives its bound is stopped here (SIGTERM, status null) and fails the test.
    const r = spawnSync('sh', ['-c', run], { cwd: dir, encoding: 'utf8', timeout: (bound + 60) * 1000, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' } });
    expect(r.status, r.stdout + r.stderr).toBe(137);
  });
});
