import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { parseJsonReports, run } from './redocly';
import { configDir } from './setup';

const GITHUB = path.join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json');

describe("GitHub's REST description (OpenAPI 3.0.3, no errata conventions)", () => {
  it('gets problems, not a crash: every errata rule runs to the end', async () => {
    const dir = await configDir();
    const r = await run(['lint', GITHUB, '--format', 'json', '--max-problems', '100000'], dir);
    expect(r.stderr).not.toMatch(/Something went wrong|TypeError|ReferenceError|at .*redocly-plugin\.mjs/);
    expect(r.code).toBe(1);
    const [report] = parseJsonReports(r.stdout);
    const byRule = new Map<string, number>();
    for (const p of report!.problems) byRule.set(p.ruleId, (byRule.get(p.ruleId) ?? 0) + 1);

    // The missing conventions are said once each, at the root, with how to add them.
    const atRoot = report!.problems.filter((p) => p.pointer === '#/');
    expect(atRoot.map((p) => p.ruleId).sort()).toEqual(['errata/error-code-defined', 'errata/error-response-envelope']);
    // Every error response lacks codes: hundreds of findings, each at a response or operation.
    expect(byRule.get('errata/operation-error-codes')).toBeGreaterThan(500);
    // Its 270 `x-webhooks` are requests GitHub sends, not operations of the API: left alone.
    expect(report!.problems.filter((p) => p.ruleId.startsWith('errata/') && p.pointer.startsWith('#/x-webhooks/'))).toEqual([]);
    // Rules that need a catalog have nothing to check against and say nothing more.
    expect(byRule.get('errata/error-code-status')).toBeUndefined();
    expect(byRule.get('errata/error-code-unused')).toBeUndefined();
    expect(report!.totals.errors).toBe(report!.problems.length);
  });
});
