import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempTree } from '../helpers/cli';
import { builtPlugin, parseJsonReports, run, type RunResult } from './redocly';
import { patch } from '../helpers/patch';

const SPECS = ['openapi/openapi.yaml', 'test/fixtures/nested-error/openapi.yaml', 'test/fixtures/detail-wrapper/openapi.yaml', 'test/fixtures/problem-json/openapi.yaml'];

/** The repository's own redocly.yaml, loading the plugin built from the current source. */
async function repoConfig(): Promise<string> {
  const text = readFileSync(path.join(ROOT, 'redocly.yaml'), 'utf8');
  expect(text).toMatch(/^telemetry: off$/m);
  expect(text).toMatch(/^plugins:\n {2}- \.\/dist\/redocly-plugin\.mjs$/m);
  expect(text).toMatch(/^extends:\n {2}- recommended\n {2}- errata\/all$/m);
  const dir = tempTree({});
  const config = path.join(dir, 'redocly.yaml');
  writeFileSync(config, patch(text, './dist/redocly-plugin.mjs', await builtPlugin()));
  return config;
}

describe("the repository's contracts lint clean with the repository's redocly.yaml", () => {
  // One CLI run lints them all, each as its own API with its own report.
  let r: RunResult;
  beforeAll(async () => {
    r = await run(['lint', ...SPECS, '--config', await repoConfig(), '--format', 'json'], ROOT);
  });

  it.each(SPECS.map((spec, i) => [spec, i] as const))('%s: 0 errors, 0 warnings', (_spec, i) => {
    const reports = parseJsonReports(r.stdout);
    expect(reports).toHaveLength(SPECS.length);
    expect(reports[i]).toEqual({ totals: { errors: 0, warnings: 0, ignored: 0 }, problems: [] });
  });

  it('exits 0', () => {
    expect(r.code, r.stderr).toBe(0);
  });
});
