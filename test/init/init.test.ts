import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate';
import { init } from '../../generator/init/index';
import { verify } from '../../generator/init/verify';
import { errataInProcess, tempTree } from '../helpers/cli';
import { patch } from '../helpers/patch';
import { builtPlugin, contract, parseJsonReports, run as redocly } from '../lint/redocly';
import { fixtures } from './fixtures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

function write(name: string, text: string, file = 'openapi.yaml'): string {
  const dir = mkdtempSync(path.join(tmpdir(), `errata-init-${name}-`));
  writeFileSync(path.join(dir, file), text);
  return path.join(dir, file);
}

/** Every line the user wrote is still there, in order, byte for byte (init only adds lines). */
function keptInOrder(before: string, after: string): boolean {
  const out = after.split('\n');
  let i = 0;
  for (const line of before.split('\n')) {
    while (i < out.length && out[i] !== line) i++;
    if (i === out.length) return false;
    i++;
  }
  return true;
}

const styles: { name: keyof typeof fixtures; envelope: Record<string, unknown>; codes: Record<string, string[]> }[] = [
  { name: 'flat30', envelope: { code: '/code', message: '/message', meta: '/meta', style: 'flat' }, codes: { ITEM_NOT_FOUND: ['404'], RATE_LIMITED: ['429'], UNAUTHORIZED: ['401'] } },
  { name: 'nested', envelope: { code: '/error/code', message: '/error/message', requestId: { body: '/request_id' }, style: 'nested' }, codes: { ITEM_LOCKED: ['409'], VERSION_CONFLICT: ['409'], TOKEN_EXPIRED: ['401'] } },
  { name: 'detailInline', envelope: { code: '/detail/code', message: '/detail/message', schema: '#/components/schemas/Error', style: 'nested' }, codes: { ITEM_NOT_FOUND: ['404'], UNAUTHORIZED: ['401'] } },
  { name: 'problem', envelope: { mediaType: 'application/problem+json', code: '/code', message: '/detail', style: 'problem+json' }, codes: { NAME_EMPTY: ['422'], PRICE_NEGATIVE: ['422'], UNAUTHORIZED: ['401'] } },
  { name: 'google', envelope: { code: '/error/status', message: '/error/message', style: 'google' }, codes: { NOT_FOUND: ['404'], UNAUTHENTICATED: ['401'] } },
  { name: 'noCode', envelope: { code: '/code', message: '/message', schema: '#/components/schemas/basic-error', style: 'proposed' }, codes: { UNSPECIFIED_404: ['404'], UNAUTHORIZED: ['401'] } },
];

describe('errata init on each envelope style', () => {
  for (const style of styles) {
    it(`${style.name}: infers envelope and codes; the result generates, lints clean and keeps every authored line`, async () => {
      const source = fixtures[style.name];
      const spec = write(style.name, source);
      const result = await init({ spec });
      expect(result.envelope).toMatchObject(style.envelope);
      expect(Object.fromEntries(result.codes.map((c) => [c.code, c.statuses.map(String)]))).toEqual(style.codes);
      expect(result.remaining).toEqual({ generate: [], lint: [], redoclyOwn: 0 });
      const after = readFileSync(spec, 'utf8');
      // Where init points a response at the envelope, that schema's lines change; everything else stays.
      const rewritten = style.name === 'detailInline' || style.name === 'nested';
      expect(keptInOrder(rewritten ? source.split('\n').filter((l) => l.includes(' # ') || l.startsWith('#')).join('\n') : source, after)).toBe(true);
      expect(after).toContain('# Comment at the top: init must keep it.');
      expect(after).toContain('# shared, annotated once');
      // A shared response is annotated once, at its component.
      expect(after.match(/x-errata-codes/g)?.length).toBe(result.annotated);
      // The shared 401 had no WWW-Authenticate (RFC 9110 requires one): init declares it with the scheme's challenge, once.
      expect(after.match(/WWW-Authenticate:/g)?.length).toBe(1);
      expect(after).toContain('The authentication challenge (RFC 9110 §11.6.1): Bearer.');
      expect(result.report).toMatch(/make sure the server sends the challenge on every 401/);
    }, 120_000);
  }

  it('says where nothing identifies a code, and proposes one', async () => {
    const result = await init({ spec: write('nocode-dry', fixtures.noCode), dryRun: true });
    expect(result.written).toBe(false);
    expect(result.report).toMatch(/nothing in basic-error identifies an error code: proposed a `code` string member/);
    expect(result.report).toMatch(/UNSPECIFIED_404 on 1 operation: nothing names this error; name it/);
    expect(result.todo.find((t) => t.message.startsWith('UNSPECIFIED_404'))!.where[0]).toMatchObject({ pointer: '/paths/~1items~1{id}/get/responses/404', line: expect.any(Number) });
  });

  it('shares an inline error schema as a component and points the responses at it', async () => {
    const spec = write('inline', fixtures.detailInline);
    await init({ spec, verify: false });
    const after = readFileSync(spec, 'utf8');
    expect(after.match(/schema: \{ \$ref: '#\/components\/schemas\/Error' \}/g)?.length).toBe(2);
    expect(after).toContain('# the item id');
  });

  it('--dry-run prints the report and writes nothing', async () => {
    const spec = write('dry', fixtures.flat30);
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/errata.mjs'), 'init', spec, '--dry-run']);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/dry run: nothing written/);
    expect(stdout).toMatch(/RATE_LIMITED\s+429\s+client retry after/);
    expect(readFileSync(spec, 'utf8')).toBe(fixtures.flat30);
  });
});

describe('an OpenAPI 3.0 contract through generate', () => {
  it('is read as 3.1: nullable becomes a type array, example becomes examples', async () => {
    const spec = write('gen30', fixtures.flat30);
    await init({ spec, verify: false });
    expect(readFileSync(spec, 'utf8')).toMatch(/^openapi: 3\.0\.3$/m);
    const { files } = await generate(spec);
    const bundled = JSON.parse(files.find((f) => f.path === 'openapi.json')!.contents);
    expect(bundled.openapi).toBe('3.1.0');
    expect(bundled.components.schemas.Error.properties.note).toEqual({ type: ['string', 'null'], examples: ['n/a'] });
    expect(files.find((f) => f.path === 'catalog.ts')!.contents).toContain('RATE_LIMITED');
  });
});

describe('bad input: one message, exit 2, nothing written', () => {
  const cases: [string, string, RegExp][] = [
    ['not OpenAPI', 'name: my service\nport: 8080\n', /is not an OpenAPI description: it has no `openapi` version field/],
    ['Swagger 2.0', 'swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths: {}\n', /is Swagger 2\.0[\s\S]*npx swagger2openapi/],
    ['no error responses', `openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths:\n  /a:\n    get:\n      responses:\n        '200': { description: ok }\n`, /declares no error responses \(no 4xx, 5xx or `default` response on any of its 1 operations\)/],
  ];
  for (const [i, [name, text, message]] of cases.entries()) {
    it(name, async () => {
      const spec = write(name.replace(/\W/g, ''), text);
      // The first case through the real bin (its exit code is the process's); the others through
      // the same main() in this process, without a new Node and tsx.
      const failure =
        i === 0
          ? await run(process.execPath, [path.join(ROOT, 'bin/errata.mjs'), 'init', spec]).then(
              () => undefined,
              (e: { code: number; stderr: string; stdout: string }) => e,
            )
          : await errataInProcess(['init', spec]);
      expect(failure?.code).toBe(2);
      expect(failure?.stderr).toMatch(message);
      expect(failure?.stderr.match(/error:/g)?.length).toBe(1);
      expect(failure?.stdout).toBe('');
      expect(readFileSync(spec, 'utf8')).toBe(text);
    });
  }
});

describe('a description in several files', () => {
  it('annotates each response in the file that holds it, through $refs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'errata-init-multi-'));
    const files: Record<string, string> = {
      'openapi.yaml': `openapi: 3.1.0
info:
  title: Multi
  version: 1.0.0
  description: Multi-file.
  license: { name: MIT, url: https://opensource.org/licenses/MIT }
servers:
  - url: https://api.example.com
security:
  - bearer: []
paths:
  /items/{id}:
    $ref: ./paths/items.yaml
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
  responses:
    NotFound:
      $ref: ./components/not-found.yaml
  schemas:
    Error:
      $ref: ./components/error.yaml
`,
      'paths/items.yaml': `# Items path item
get:
  operationId: getItem
  summary: Get an item
  parameters:
    - { name: id, in: path, required: true, schema: { type: string } }
  responses:
    '200':
      description: The item.
    '404':
      $ref: '../openapi.yaml#/components/responses/NotFound'
    '409':
      description: Locked.
      content:
        application/json:
          schema: { $ref: '../openapi.yaml#/components/schemas/Error' }
          example: { code: ITEM_LOCKED, message: locked }
`,
      'components/not-found.yaml': `# shared 404
description: Not found.
content:
  application/json:
    schema: { $ref: './error.yaml' }
`,
      'components/error.yaml': `type: object
required: [code, message]
properties:
  code: { type: string }
  message: { type: string }
`,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const result = await init({ spec: path.join(dir, 'openapi.yaml') });
    expect(result.remaining).toEqual({ generate: [], lint: [], redoclyOwn: 0 });
    expect(readFileSync(path.join(dir, 'components/not-found.yaml'), 'utf8')).toBe(`${files['components/not-found.yaml']}x-errata-codes: [NOT_FOUND]\n`);
    expect(readFileSync(path.join(dir, 'paths/items.yaml'), 'utf8')).toBe(`${files['paths/items.yaml']}      x-errata-codes: [ITEM_LOCKED]\n`);
    expect(readFileSync(path.join(dir, 'openapi.yaml'), 'utf8')).not.toContain('x-errata-codes');
  }, 120_000);
});

describe("init's verify step and the real `redocly lint`", () => {
  it("find the same errata problems (file, pointer, line, column) and the same number of Redocly's own errors", async () => {
    // Two unknown codes, one in a file the root references, and a path parameter left undeclared
    // (Redocly's recommended path-parameters-defined, an error).
    let root = patch(contract(), 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NOT_GONE]');
    root = patch(root, "      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]\n", '');
    root = patch(root, "'429': { $ref: '#/components/responses/RateLimited' }", "'429': { $ref: './responses.yaml#/RateLimited' }");
    const dir = tempTree({
      'openapi.yaml': root,
      'responses.yaml': "RateLimited:\n  description: Slow down.\n  headers:\n    x-request-id: { $ref: './openapi.yaml#/components/headers/RequestId' }\n    Retry-After: { $ref: './openapi.yaml#/components/headers/RetryAfter' }\n  x-errata-codes: [SLOW_DOWN]\n",
    });
    // `errata lint` without a redocly.yaml: recommended plus errata/all, from a config outside the project.
    const config = path.join(tempTree({ 'redocly.yaml': `telemetry: off\nplugins:\n  - ${JSON.stringify(await builtPlugin())}\nextends:\n  - recommended\n  - errata/all\n` }), 'redocly.yaml');
    const [cli, remaining] = await Promise.all([redocly(['lint', 'openapi.yaml', '--config', config, '--format', 'json', '--max-problems', '10000'], dir), verify(path.join(dir, 'openapi.yaml'))]);
    const { problems } = parseJsonReports(cli.stdout)[0]!;
    const errors = problems.filter((p) => p.severity === 'error');
    const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();
    const cliErrata = errors
      .filter((p) => p.ruleId.startsWith('errata/'))
      .map((p) => ({ message: `${p.ruleId}: ${p.message}`, where: [{ file: path.resolve(dir, p.file), pointer: p.pointer.replace(/^#/, ''), line: p.line, column: p.col }], count: 1 }));
    expect(cliErrata.map((p) => p.where[0]!.file)).toEqual(expect.arrayContaining([path.join(dir, 'openapi.yaml'), path.join(dir, 'responses.yaml')]));
    expect(sorted(remaining.lint.map((t) => ({ ...t, where: t.where.map((w) => ({ ...w, file: path.resolve(w.file) })) })))).toEqual(sorted(cliErrata));
    expect(remaining.redoclyOwn).toBe(errors.filter((p) => !p.ruleId.startsWith('errata/')).length);
    expect(remaining.redoclyOwn).toBeGreaterThan(0);
  }, 120_000);

  it('lints nothing a `$ref` reaches outside the contract\'s folder: the refusal is what it reports, as `errata lint` does', async () => {
    const outside = tempTree({ 'secret.yaml': 'Stolen:\n  description: read from outside the contract\n  x-errata-codes: [OUTSIDE_CODE]\n' });
    const root = patch(contract(), "'429': { $ref: '#/components/responses/RateLimited' }", `'429': { $ref: '../${path.basename(outside)}/secret.yaml#/Stolen' }`);
    const dir = tempTree({ 'openapi.yaml': root });
    const remaining = await verify(path.join(dir, 'openapi.yaml'));
    expect(remaining.lint.map((t) => t.message)).toEqual([expect.stringMatching(/^\$ref refused: /)]);
    expect(JSON.stringify(remaining)).not.toContain('OUTSIDE_CODE');
    expect(remaining.redoclyOwn).toBe(0);
  }, 120_000);
});
