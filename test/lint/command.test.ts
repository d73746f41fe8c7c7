import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errata } from '../helpers/cli';
import { packageCopy } from '../helpers/package-copy';
import { parseJsonReports } from './redocly';
import { FIXTURES, fixtureCopy } from './setup';

/**
 * `errata lint` builds the plugin into its package's dist/ before every lint, so these tests run
 * the CLI of a copy of the package: the checkout's dist/ is never written.
 */
describe('errata lint', () => {
  let pkg: string;
  const lint = (args: string[], cwd = pkg) => errata(['lint', ...args], cwd, path.join(pkg, 'bin/errata.mjs'));
  beforeAll(() => {
    pkg = packageCopy();
  });

  it('lints openapi/openapi.yaml with the repository config by default, through the real Redocly CLI', () => {
    const r = lint(['--format', 'stylish']);
    expect(r.stderr).toContain('validating openapi/openapi.yaml');
    expect(r.stderr).toContain('Your API description is valid');
    expect(r.code).toBe(0);
  });

  it('passes the spec and --format through, and fails with Redocly exit code 1 on errors', async () => {
    const dir = await fixtureCopy('mistakes');
    // The fixture's config must load the plugin that errata lint builds into its package's dist/.
    writeFileSync(path.join(dir, 'redocly.yaml'), `telemetry: off\nplugins: [${JSON.stringify(path.join(pkg, 'dist/redocly-plugin.mjs'))}]\nextends: [errata/all]\n`);
    const r = lint(['openapi.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(parseJsonReports(r.stdout)[0]!.problems).toEqual(JSON.parse(readFileSync(path.join(FIXTURES, 'mistakes/expected.json'), 'utf8')));
    const actions = lint(['openapi.yaml', '--format', 'github-actions'], dir);
    expect(actions.stdout).toMatch(/^::error title=errata\/error-code-status,file=responses\/Unauthorized\.yaml,line=4,col=32/m);
  });

  it('explains a bad --format or a missing spec (exit 2)', () => {
    const bad = lint(['--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('fix:   use one of: codeframe, stylish, json, checkstyle');
    const missing = lint(['nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read nope.yaml');
  });
});
