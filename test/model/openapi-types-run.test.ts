import { readFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { loadOpenapiTypescript, parseProblems, transformText } from '../../generator/emit/openapi-types-run.mjs';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { generated } from '../helpers/generate';

/**
 * errata runs openapi-typescript's transform without the lint openapiTS runs first
 * (generator/emit/openapi-types-run.mjs). What it prints must stay what openapiTS prints.
 */
const tools = loadOpenapiTypescript();
const theirs = async (text: string, options: Record<string, boolean> = {}) => astToString(await openapiTS(text, { ...options, silent: true }));

const OPTIONS = { defaultNonNullable: false, alphabetize: true, enum: true, immutable: true, exportType: true, pathParamsAsTypes: true, rootTypes: true, propertiesRequiredByDefault: true };

describe("openapi-typescript's transform, without its lint", () => {
  it.each([{}, OPTIONS])("prints what openapiTS prints for Picora's openapi.json, options %j", async (options) => {
    const text = readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8');
    expect((await transformText(text, options, await tools)).printed).toBe(await theirs(text, options));
  });

  it('prints what openapiTS prints for the RFC 9457, Google and FastAPI envelopes, and errata writes it as openapi.ts', async () => {
    for (const fixture of ['problem-json', 'google', 'fastapi']) {
      const out = await generated({ spec: `test/fixtures/${fixture}/openapi.yaml` });
      const printed = (await transformText(readFileSync(path.join(out, 'openapi.json'), 'utf8'), {}, await tools)).printed;
      expect(printed, fixture).toBe(await theirs(readFileSync(path.join(out, 'openapi.json'), 'utf8')));
      const written = readFileSync(path.join(out, 'openapi.ts'), 'utf8');
      expect(written.slice(written.indexOf('\n\n') + 2), fixture).toBe(printed);
    }
  });

  it("fails as openapiTS does on what its bundler reports: a reference to nothing", async () => {
    const text = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } } } } } },
    });
    const message = "Can't resolve $ref at #/paths/~1a/get/responses/200/content/application~1json/schema";
    await expect(transformText(text, {}, await tools)).rejects.toThrow(message);
    await expect(theirs(text)).rejects.toThrow(message);
  });

  it("leaves openapiTS's one lint rule, unique operationIds, to errata's model: generate refuses two operations with one operationId", async () => {
    const text = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { operationId: 'same', responses: { '200': { description: 'ok' } } } }, '/b': { get: { operationId: 'same', responses: { '200': { description: 'ok' } } } } },
    });
    await expect(theirs(text)).rejects.toThrow(/operationId/);
    const dir = tempTree({
      'openapi.yaml': `openapi: 3.1.0
info: { title: Twice, version: 1.0.0 }
x-errata:
  envelope:
    schema: { $ref: '#/components/schemas/Error' }
    code: /code
    message: /message
  catalog:
    categories: [{ id: client, title: Client }]
    codes:
      NOT_FOUND: { status: 404, category: client, description: Not found., fix: Check the id. }
paths:
  /a:
    get:
      operationId: same
      responses:
        '404': { description: Missing, x-errata-codes: [NOT_FOUND] }
  /b:
    get:
      operationId: same
      responses:
        '404': { description: Missing, x-errata-codes: [NOT_FOUND] }
components:
  schemas:
    Error:
      type: object
      required: [code, message]
      properties:
        code: { type: string }
        message: { type: string }
`,
    });
    const run = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/paths/~1b/get/operationId');
    expect(run.stderr).toContain('give the operations distinct operationIds');
  });

  it('finds parse problems with their line and column, JSDoc comments unparsed', async () => {
    const { ts } = await tools;
    expect(parseProblems(ts, 'export interface x {\n  /** {@link */\n  a: string;\n  b: ;\n}\n')).toEqual([{ line: 4, column: 6, message: 'Type expected.' }]);
    expect(parseProblems(ts, 'export interface x {\n  a: string;\n}\n', 10)).toEqual([]);
    // An unclosed comment: at the end of the text (its second line), offset by 2.
    expect(parseProblems(ts, '/** a\n', 2)).toEqual([{ line: 4, column: 1, message: "'*/' expected." }]);
  });
});
