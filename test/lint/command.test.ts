import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errata, errataInProcess, ROOT } from '../helpers/cli';
import { builtPlugin, parseJsonReports } from './redocly';
import { FIXTURES, configDir, fixtureCopy } from './setup';
import { patch } from '../helpers/patch';

describe('errata lint', () => {
  it("lints every API of the config's `apis:` by default, through the real Redocly CLI", async () => {
    // The repository's own config, with the plugin built from source (the committed one names dist/).
    const config = path.join(await configDir(), 'redocly.yaml');
    writeFileSync(config, patch(patch(readFileSync(path.join(ROOT, 'redocly.yaml'), 'utf8'), './dist/generator/lint/plugin.js', await builtPlugin()), './openapi/openapi.yaml', path.join(ROOT, 'openapi/openapi.yaml')));
    const r = errata(['lint', '--config', config, '--format', 'stylish']);
    expect(r.stderr).toContain("using lint rules for api 'picora@v1'");
    expect(r.stderr).toContain('Your API description is valid');
    expect(r.code).toBe(0);
  });

  it('passes the spec and --format through, and fails with Redocly exit code 1 on errors', async () => {
    const dir = await fixtureCopy('mistakes');
    const r = await errataInProcess(['lint', 'openapi.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(parseJsonReports(r.stdout)[0]!.problems).toEqual(JSON.parse(readFileSync(path.join(FIXTURES, 'mistakes/expected.json'), 'utf8')));
    const actions = await errataInProcess(['lint', 'openapi.yaml', '--format', 'github-actions'], dir);
    expect(actions.stdout).toMatch(/^::error title=errata\/error-code-status,file=responses\/Unauthorized\.yaml,line=4,col=32/m);
  });

  it('explains a bad --format or a missing spec (exit 2)', async () => {
    const bad = await errataInProcess(['lint', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('fix:   use one of: codeframe, stylish, json, checkstyle');
    const missing = await errataInProcess(['lint', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read nope.yaml');
  });
});
