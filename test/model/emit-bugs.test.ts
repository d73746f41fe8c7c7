import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errataInProcess, runtimeCopy, tempTree, typecheck } from '../helpers/cli';
import { generated } from '../helpers/generate';

/** Issue 13, "bugs found on the way" on the emit side: each fails on the main branch before the fix. */

/** One operation whose 422 lists BAD_FIELD and MISSING_FIELD; `extra` goes under `x-errata`, `schemas` under components. */
function contract(options: { catalog?: string; extra?: string; schemas?: string; requestBody?: string } = {}): Record<string, string> {
  return {
    'openapi.yaml': `openapi: 3.1.0
info: { title: Fields, version: 1.0.0 }
x-errata:
  envelope:
    schema: { $ref: '#/components/schemas/Error' }
    code: /code
    message: /message
    meta: /meta
  catalog: { $ref: ./catalog.yaml }
${options.extra ?? ''}paths:
  /things:
    post:
      operationId: createThing
${options.requestBody ?? ''}      responses:
        '200': { description: ok }
        '422':
          description: Invalid
          x-errata-codes: [BAD_FIELD, MISSING_FIELD]
components:
  schemas:
${options.schemas ?? ''}    Error:
      type: object
      required: [code, message]
      properties:
        code: { type: string }
        message: { type: string }
        meta: { type: object }
`,
    'catalog.yaml':
      options.catalog ??
      `categories:
  - { id: validation, title: Validation }
codes:
  BAD_FIELD:
    status: 422
    category: validation
    description: A field is invalid.
    fix: Fix it.
    meta:
      type: object
      required: [field]
      properties:
        field: { type: string }
  MISSING_FIELD:
    status: 422
    category: validation
    description: A field is missing.
    fix: Add it.
    meta: { $ref: '#/codes/BAD_FIELD/meta' }
`,
  };
}

async function generate(files: Record<string, string>, args: string[] = ['--spec', 'openapi.yaml', '--out', 'generated']) {
  const dir = tempTree(files);
  return { dir, ...(await errataInProcess(['generate', ...args], dir)) };
}

describe('a code meta that $refs into the catalog file', () => {
  it('gives an openapi.ts that parses and types both codes’ meta', async () => {
    const out = await generated({ files: contract() });
    const uses = path.join(path.dirname(out), 'uses.ts');
    writeFileSync(
      uses,
      `import type { components } from './generated/openapi';
import { errors } from './generated/server';
const meta: components['schemas']['MissingFieldError']['meta'] = { field: 'name' };
// @ts-expect-error field is a string
const wrong: components['schemas']['MissingFieldError']['meta'] = { field: 1 };
errors.createThing({ code: 'MISSING_FIELD', meta });
void wrong;
`,
    );
    expect(typecheck([uses], path.dirname(out), { except: [runtimeCopy(out)] }).output).toBe('');
  });

  it('fails generation, with what to do, when such a schema contains itself', async () => {
    const recursive = contract()['catalog.yaml']!.replace('        field: { type: string }\n', "        field: { type: string }\n        nested: { $ref: '#/codes/BAD_FIELD/meta' }\n");
    const r = await generate(contract({ catalog: recursive }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the schema #/x-errata/catalog/codes/BAD_FIELD/meta contains itself, and is not under #/components/schemas');
    expect(existsSync(path.join(r.dir, 'generated'))).toBe(false);
  });

});

describe('generated schema names', () => {
  const fastapi = { schemas: '    ValidationError:\n      type: object\n      properties: { loc: { type: array }, msg: { type: string } }\n' };
  const validation = contract()['catalog.yaml']!.replace(/BAD_FIELD/g, 'VALIDATION_ERROR');
  const withValidation = (extra = '') => ({ ...contract({ ...fastapi, extra }), 'catalog.yaml': validation, 'openapi.yaml': contract({ ...fastapi, extra })['openapi.yaml']!.replace(/BAD_FIELD/g, 'VALIDATION_ERROR') });

  it('a name the contract already uses (FastAPI’s ValidationError) is refused with the way out', async () => {
    const r = await generate(withValidation());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the schema name ValidationError is taken, but errata generates it for the code VALIDATION_ERROR');
    expect(r.stderr).toContain('give errata\'s schema names a prefix or suffix: `x-errata: { schemaNames: { prefix: Errata } }` makes it ErrataValidationError');
  });

  it('x-errata.schemaNames gives every generated name a prefix (and suffix), leaving the user’s schemas alone', async () => {
    const r = await generate(withValidation('  schemaNames: { prefix: Errata, suffix: Body }\n'));
    expect(r.code, r.stderr).toBe(0);
    const bundled = JSON.parse(readFileSync(path.join(r.dir, 'generated/openapi.json'), 'utf8'));
    expect(Object.keys(bundled.components.schemas).sort()).toEqual(['ErrataMissingFieldBody', 'ErrataValidationBody', 'Error', 'ValidationError']);
    expect(readFileSync(path.join(r.dir, 'generated/server.ts'), 'utf8')).toContain('"VALIDATION_ERROR": components["schemas"]["ErrataValidationBody"];');
  });

  it('reports a misspelt or bad schemaNames option', async () => {
    const r = await generate(withValidation('  schemaNames: { prefx: Errata, suffix: "-x" }\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown key "prefx" in x-errata.schemaNames: errata would ignore it');
    expect(r.stderr).toContain('did you mean `prefix`?');
    expect(r.stderr).toContain('`x-errata.schemaNames.suffix` must be letters, digits or _, got "-x"');
  });
});

describe('openapi-typescript options', () => {
  // FastAPI marks every optional field with its default; openapi-typescript's defaultNonNullable
  // (on by default) then makes it required in the request type.
  const withDefault = contract({
    requestBody: "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: { $ref: '#/components/schemas/ThingCreate' }\n",
    schemas: '    ThingCreate:\n      type: object\n      required: [name]\n      properties:\n        name: { type: string }\n        limit: { type: integer, default: 10 }\n',
  });
  const config = (options: string) => `apis:\n  fields:\n    root: ./openapi.yaml\n    x-errata:\n      output: ./generated\n${options}`;

  it('passes x-errata.openapiTypescript from redocly.yaml on: defaultNonNullable: false keeps a field with a default optional', async () => {
    const plain = await generate({ ...withDefault, 'redocly.yaml': config('') }, []);
    expect(plain.code, plain.stderr).toBe(0);
    expect(readFileSync(path.join(plain.dir, 'generated/openapi.ts'), 'utf8')).toMatch(/\n\s+limit: number;/);
    const r = await generate({ ...withDefault, 'redocly.yaml': config('      openapiTypescript: { defaultNonNullable: false }\n') }, []);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(r.dir, 'generated/openapi.ts'), 'utf8')).toMatch(/\n\s+\/\*\* @default 10 \*\/\n\s+limit\?: number;/);
  });

  it('checks the options against the ones errata passes on, with a did-you-mean', async () => {
    const r = await generate({ ...withDefault, 'redocly.yaml': config('      openapiTypescript: { defaultNonNulable: false }\n') }, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown openapi-typescript option `defaultNonNulable` in `x-errata.openapiTypescript`');
    expect(r.stderr).toContain('did you mean `defaultNonNullable`?');
    expect(r.stderr).toMatch(/redocly\.yaml:6:\d+/);
    const paths = await generate({ ...withDefault, 'redocly.yaml': config('      openapiTypescript: { pathParamsAsTypes: true }\n') }, []);
    expect(paths.stderr).toContain('unknown openapi-typescript option `pathParamsAsTypes`');
  });
});
