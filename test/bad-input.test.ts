import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errata, errataInProcess, tempTree } from './helpers/cli';
import { cachedOutput } from './helpers/generate';
import { miniContract } from './helpers/mini-contract';
import { patch } from './helpers/patch';

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => {
        const file = path.join(d.parentPath, d.name);
        return [path.relative(dir, file), readFileSync(file, 'utf8')];
      }),
  );
}

/**
 * Starts from the good contract and its output (generated once per run, see helpers/generate.ts),
 * breaks the contract with `overrides` and generates again: the failure must leave the earlier
 * output byte for byte.
 */
async function breakContract(overrides: Record<string, string>) {
  const dir = tempTree(miniContract());
  cpSync(await cachedOutput({ files: miniContract() }), path.join(dir, 'generated'), { recursive: true });
  const before = snapshot(path.join(dir, 'generated'));
  for (const [file, contents] of Object.entries(overrides)) writeFileSync(path.join(dir, file), contents);
  const result = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated'], dir);
  expect(snapshot(path.join(dir, 'generated'))).toEqual(before);
  expect(readdirSync(dir).filter((f) => f.startsWith('.errata-tmp'))).toEqual([]);
  return result;
}

const mini = miniContract();

/**
 * The cases run `errata` in-process (`errataInProcess`, the CLI's own `main`); `--check` drift goes
 * through the real bin once, whose exit code is `main`'s.
 */
describe('bad input gets one clear message, a non-zero exit and no output', () => {
  it('malformed YAML: file, line, exit 2', async () => {
    const r = await breakContract({ 'catalog.yaml': patch(mini['catalog.yaml']!, 'status: 404', 'status: [404') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/catalog\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('cannot parse catalog.yaml');
    expect(r.stderr).toContain('fix:');
  });

  it('malformed YAML in the root file: file, line, exit 2 (not a bundler crash)', async () => {
    const r = await breakContract({ 'openapi.yaml': patch(mini['openapi.yaml']!, 'requestId: { header: x-request-id }', 'requestId: { header: x-request-id }, mediaType: "x"') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/openapi\.yaml:9:\d+/);
    expect(r.stderr).toContain('cannot parse openapi.yaml');
    expect(r.stderr).not.toContain('Cannot read properties');
  });

  it('a dangling $ref: the authored file and line of the $ref, exit 1', async () => {
    const r = await breakContract({ 'paths/thing.yaml': patch(mini['paths/thing.yaml']!, "'413': { $ref: ../responses/TooLarge.yaml }", "'413': { $ref: ../responses/TooLarge.yaml#/nope }") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/paths\/thing\.yaml:10:\d+ #\/get\/responses\/413/);
    expect(r.stderr).toContain('dangling $ref');
    expect(r.stderr).toContain('fix:');
  });

  it('an unknown code in an operation: located, with a suggestion', async () => {
    const r = await breakContract({ 'paths/thing.yaml': patch(mini['paths/thing.yaml']!, '[NOT_FOUND]', '[NOT_FOUN]') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/paths\/thing\.yaml:9:\d+ #\/get\/responses\/404\/x-errata-codes\/0/);
    expect(r.stderr).toContain('unknown error code "NOT_FOUN"');
    expect(r.stderr).toContain('did you mean NOT_FOUND');
  });

  it('an unknown code in a response shared under two statuses is reported once, at the response', async () => {
    const r = await breakContract({ 'responses/TooLarge.yaml': patch(mini['responses/TooLarge.yaml']!, '[FILE_TOO_LARGE]', '[FILE_TOO_BIG]') });
    expect(r.code).toBe(1);
    expect(r.stderr.match(/unknown error code "FILE_TOO_BIG"/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/responses\/TooLarge\.yaml:2:\d+/);
  });

  it('a code under a status the catalog does not allow', async () => {
    const r = await breakContract({ 'paths/thing.yaml': patch(mini['paths/thing.yaml']!, '[NOT_FOUND]', '[FILE_TOO_LARGE]') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FILE_TOO_LARGE is declared under status 404 (getThing 404), but the catalog allows it only under 413, 422');
  });

  it('a code whose meta schema is not an object', async () => {
    const r = await breakContract({ 'catalog.yaml': patch(mini['catalog.yaml']!, /meta:\n\s+type: object\n\s+required: \[entity\]\n\s+properties: .*\n/, 'meta: { type: string }\n') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/catalog\.yaml:\d+:\d+ #\/codes\/NOT_FOUND\/meta/);
    expect(r.stderr).toContain('the meta schema of NOT_FOUND is not an object schema');
  });

  it('a duplicate code', async () => {
    const r = await breakContract({ 'catalog.yaml': `${mini['catalog.yaml']}  NOT_FOUND:\n    status: 404\n    category: resource\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/catalog\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('duplicated mapping key');
    expect(r.stderr).toContain('"NOT_FOUND" is defined twice');
  });

  it('an envelope without a code field', async () => {
    const r = await breakContract({ 'openapi.yaml': patch(mini['openapi.yaml']!, '    code: /code\n', '') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/openapi\.yaml:\d+:\d+ #\/x-errata\/envelope/);
    expect(r.stderr).toContain('the envelope has no code field');
  });

  it('an envelope whose code pointer leads nowhere', async () => {
    const r = await breakContract({ 'openapi.yaml': patch(mini['openapi.yaml']!, 'code: /code', 'code: /error/code') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no property at /error/code');
  });

  it('an envelope request id header or media type that cannot be sent in HTTP', async () => {
    const header = await breakContract({ 'openapi.yaml': patch(mini['openapi.yaml']!, 'requestId: { header: x-request-id }', 'requestId: { header: "x request id" }') });
    expect(header.code).toBe(1);
    expect(header.stderr).toContain('"x request id" is not an HTTP header name');
    expect(header.stderr).toContain('openapi.yaml:');
    const media = await breakContract({ 'openapi.yaml': patch(mini['openapi.yaml']!, 'requestId: { header: x-request-id }', 'requestId: { header: x-request-id }\n    mediaType: "application/json\\r\\nx-evil: 1"') });
    expect(media.code).toBe(1);
    expect(media.stderr).toContain('is not a media type');
    expect(media.stderr).toContain('#/x-errata/envelope/mediaType');
  });

  it('a contract that is not OpenAPI 3.0 or 3.1 (3.0 is converted at load)', async () => {
    const r = await breakContract({ 'openapi.yaml': patch(mini['openapi.yaml']!, 'openapi: 3.1.0', 'swagger: "2.0"') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('errata reads OpenAPI 3.0 and 3.1 contracts');
    expect(r.stderr).toContain('npx swagger2openapi');
  });

  it('a missing spec file and an unknown flag are usage errors (exit 2)', async () => {
    const dir = tempTree(miniContract());
    const missing = await errataInProcess(['generate', '--spec', 'nope.yaml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const flag = await errataInProcess(['generate', '--frobnicate'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('usage: errata generate');
  });

  it('refuses to replace an --out directory it did not write', async () => {
    const dir = tempTree({ ...miniContract(), 'src/index.ts': 'export {};\n' });
    const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'src'], dir);
    expect(r.code).toBe(2);
    expect(readFileSync(path.join(dir, 'src/index.ts'), 'utf8')).toBe('export {};\n');
  });

  it('--check passes output that matches the contract', async () => {
    const dir = tempTree(miniContract());
    cpSync(await cachedOutput({ files: miniContract() }), path.join(dir, 'generated'), { recursive: true });
    const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated', '--check'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('--check reports drift with exit 1 and writes nothing', async () => {
    const dir = tempTree(miniContract());
    cpSync(await cachedOutput({ files: miniContract() }), path.join(dir, 'generated'), { recursive: true });
    const before = snapshot(path.join(dir, 'generated'));
    writeFileSync(path.join(dir, 'catalog.yaml'), patch(mini['catalog.yaml']!, 'Verify the id.', 'Check the id.'));
    // The real bin, for its exit code.
    const r = errata(['generate', '--spec', 'openapi.yaml', '--out', 'generated', '--check'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('catalog.ts (differs)');
    expect(snapshot(path.join(dir, 'generated'))).toEqual(before);
  });
});
