import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempTree } from '../helpers/cli';
import { builtPlugin, parseJsonReports, run } from './redocly';

/** The repository's own redocly.yaml, loading the plugin built from the current source. */
async function repoConfig(): Promise<string> {
  const text = readFileSync(path.join(ROOT, 'redocly.yaml'), 'utf8');
  expect(text).toMatch(/^telemetry: off$/m);
  expect(text).toMatch(/^plugins:\n {2}- \.\/dist\/generator\/lint\/plugin\.js$/m);
  expect(text).toMatch(/^extends:\n {2}- recommended\n {2}- errata\/all$/m);
  const dir = tempTree({});
  const config = path.join(dir, 'redocly.yaml');
  writeFileSync(config, text.replace('./dist/generator/lint/plugin.js', await builtPlugin()));
  return config;
}

describe("the repository's contracts lint clean with the repository's redocly.yaml", () => {
  it.each(['openapi/openapi.yaml', 'test/fixtures/nested-error/openapi.yaml', 'test/fixtures/detail-wrapper/openapi.yaml', 'test/fixtures/problem-json/openapi.yaml'])('%s: 0 errors, 0 warnings', async (spec) => {
    const r = await run(['lint', spec, '--config', await repoConfig(), '--format', 'json'], ROOT);
    expect(parseJsonReports(r.stdout)[0]).toEqual({ totals: { errors: 0, warnings: 0, ignored: 0 }, problems: [] });
    expect(r.code).toBe(0);
  });
});
