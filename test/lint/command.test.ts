import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errata, ROOT } from '../helpers/cli';
import { parseJsonReports } from './redocly';
import { FIXTURES, fixtureCopy } from './setup';

describe('errata lint', () => {
  it('lints openapi/openapi.yaml with the repository config by default, through the real Redocly CLI', () => {
    const r = errata(['lint', '--format', 'stylish']);
    expect(r.stderr).toContain('validating openapi/openapi.yaml');
    expect(r.stderr).toContain('Your API description is valid');
    expect(r.code).toBe(0);
  });

  it('passes the spec and --format through, and fails with Redocly exit code 1 on errors', async () => {
    const dir = await fixtureCopy('mistakes');
    // The copy's config must load the plugin errata lint builds into dist/.
    writeFileSync(path.join(dir, 'redocly.yaml'), `telemetry: off\nplugins: [${JSON.stringify(path.join(ROOT, 'dist/redocly-plugin.mjs'))}]\nextends: [errata/all]\n`);
    const r = errata(['lint', 'openapi.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(parseJsonReports(r.stdout)[0]!.problems).toEqual(JSON.parse(readFileSync(path.join(FIXTURES, 'mistakes/expected.json'), 'utf8')));
    const actions = errata(['lint', 'openapi.yaml', '--format', 'github-actions'], dir);
    expect(actions.stdout).toMatch(/^::error title=errata\/error-code-status,file=responses\/Unauthorized\.yaml,line=4,col=32/m);
  });

  it('explains a bad --format or a missing spec (exit 2)', () => {
    const bad = errata(['lint', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('fix:   use one of: codeframe, stylish, json, checkstyle');
    const missing = errata(['lint', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read nope.yaml');
  });
});
