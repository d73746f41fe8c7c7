import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';
import { parseJsonReports, run } from '../lint/redocly';
import { configDir } from '../lint/setup';

/** Issue 13, item 9: strict conventions, published as JSON Schema, judged alike by generate and lint. */
const schema = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'schemas', name), 'utf8'));

/** Generate's problems as `file:line message. Fix: fix`, and lint's (errata/all) the same way. */
async function bothWays(files: Record<string, string>): Promise<{ generate: string[]; lint: string[]; code: number }> {
  // request-id-header is lint's alone (generate does not check success responses' headers): off here.
  const dir = tempTree({ ...files, 'openapi.yaml': files['openapi.yaml']!.replace('    requestId: { header: x-request-id }\n', '') });
  const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', path.join(dir, 'out')]);
  const generate = [...r.stderr.matchAll(/^(\S+?):(\d+):\d+ #\S*\n  error: (.*)\n  fix:   (.*)$/gm)].map((m) => `${path.relative(dir, m[1]!)}:${m[2]} ${m[3]}. Fix: ${m[4]}`);
  const lintDir = await configDir('extends: [errata/all]');
  const out = await run(['lint', path.join(dir, 'openapi.yaml'), '--format', 'json', '--config', path.join(lintDir, 'redocly.yaml')], dir);
  const lint = parseJsonReports(out.stdout)[0]!.problems.filter((p) => p.ruleId.startsWith('errata/')).map((p) => `${p.file}:${p.line} ${p.message}`);
  return { generate: generate.sort(), lint: lint.sort(), code: r.code };
}

describe('strict conventions', () => {
  it('publishes JSON Schemas for x-errata and the catalog that the Picora contract satisfies', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(schema('catalog.schema.json'), 'catalog.schema.json');
    const root = parse(readFileSync(path.join(ROOT, 'openapi/openapi.yaml'), 'utf8'));
    expect(ajv.validate(schema('x-errata.schema.json'), root['x-errata']), JSON.stringify(ajv.errors)).toBe(true);
    const catalog = parse(readFileSync(path.join(ROOT, 'openapi/errors/catalog.yaml'), 'utf8'));
    expect(ajv.validate('catalog.schema.json', catalog), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate('catalog.schema.json', { codes: { NOT_FOUND: { status: 404, retyr: 'after' } } })).toBe(false);
  });

  it('reports unknown keys with a "did you mean", in generate and lint alike', async () => {
    const mini = miniContract();
    const r = await bothWays({
      ...mini,
      'openapi.yaml': mini['openapi.yaml']!.replace('    message: /error\n', '    mesage: /error\n    message: /error\n'),
      'catalog.yaml': mini['catalog.yaml']!.replace('    fix: Compress it.\n', '    fix: Compress it.\n    retyr: after\n'),
    });
    expect(r.code).toBe(1);
    expect(r.generate).toEqual([
      'catalog.yaml:18 unknown key "retyr" in x-errata.catalog.codes.FILE_TOO_LARGE: errata would ignore it. Fix: did you mean `retry`? Keys allowed here: status, category, description, message, type, fix, retry, since, notes, deprecated, meta, example (see schemas/catalog.schema.json)',
      'openapi.yaml:7 unknown key "mesage" in x-errata.envelope: errata would ignore it. Fix: did you mean `message`? Keys allowed here: mediaType, schema, code, message, meta, status, docUrl, live, requestId (see schemas/x-errata.schema.json)',
    ]);
    expect(r.lint).toEqual(r.generate);
  });

  it('one bad catalog field gives one message, not one more wherever the code is listed', async () => {
    const mini = miniContract();
    const r = await bothWays({ ...mini, 'catalog.yaml': mini['catalog.yaml']!.replace('    fix: Verify the id.\n', '    fix: Verify the id.\n    retry: later\n') });
    expect(r.code).toBe(1);
    expect(r.generate).toEqual(['catalog.yaml:9 NOT_FOUND has retry "later". Fix: use `none`, `backoff` (retry with exponential backoff) or `after` (honour the Retry-After header)']);
    expect(r.lint).toEqual(r.generate);
  });

  it('generate refuses what lint refuses: a body that is not the envelope, a response without codes, an operation without error responses', async () => {
    const mini = miniContract();
    const r = await bothWays({
      ...mini,
      'openapi.yaml':
        mini['openapi.yaml']!
          .replace('    Error: { $ref: ./schemas/Error.yaml }', '    Error: { $ref: ./schemas/Error.yaml }\n    Other: { type: object }')
          // Authored in the root file, so its $ref reads the same to lint and in the bundle.
          .replace(
            '    TooLarge: { $ref: ./responses/TooLarge.yaml }',
            "    TooLarge: { $ref: ./responses/TooLarge.yaml }\n    Missing:\n      description: Not found\n      x-errata-codes: [NOT_FOUND]\n      content: { application/json: { schema: { $ref: '#/components/schemas/Other' } } }",
          ),
      'paths/thing.yaml': mini['paths/thing.yaml']!.replace(
        "    '404':\n      description: Not found\n      x-errata-codes: [NOT_FOUND]\n",
        "    '404': { $ref: '../openapi.yaml#/components/responses/Missing' }\n    '410':\n      description: Gone\n",
      ) + `put:\n  operationId: putThing\n  responses:\n    '204': { description: Stored. }\n`,
    });
    expect(r.code).toBe(1);
    expect(r.generate).toEqual([
      "openapi.yaml:24 the 404 response of getThing uses #/components/schemas/Other as its error body, which is not the envelope Error. Fix: point it at the envelope: `schema: { $ref: '#/components/schemas/Error' }`",
      "paths/thing.yaml:13 putThing declares no error responses, so clients cannot know which error codes it returns. Fix: add its 4xx/5xx responses, each with `x-errata-codes`, e.g. `'401': { $ref: '#/components/responses/Unauthorized' }`",
      'paths/thing.yaml:9 the 410 response of getThing does not declare its error codes. Fix: list the codes it can return: `x-errata-codes: [SOME_CODE]` (each one defined in the catalog)',
    ]);
    // Same words and files; Redocly reports on the key where generate's locator gives the value's line.
    const words = (list: string[]) => list.map((l) => l.replace(/:\d+ /, ' ')).sort();
    expect(words(r.lint)).toEqual(words(r.generate));
  });
});
