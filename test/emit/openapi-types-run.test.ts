import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import type TS from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { OPENAPI_TS_OPTIONS } from '../../generator/config/openapi-ts-options';
import { leavesWellFormed, loadOpenapiTypescript, parseProblems, printedProblems, transformText } from '../../generator/emit/openapi-types-run.mjs';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { generated } from '../helpers/generate';
import { patch } from '../helpers/patch';
import { contract, DEFAULT_COMPONENTS } from '../lint/redocly';

/**
 * errata runs openapi-typescript's transform without the lint openapiTS runs first
 * (generator/emit/openapi-types-run.mjs). What it prints must stay what openapiTS prints.
 */
const tools = loadOpenapiTypescript();
/** openapiTS itself; when it fails it prints the reason (ansi-coloured) besides throwing it. */
const theirs = async (text: string, options: Record<string, boolean> = {}) => {
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    return astToString(await openapiTS(text, { ...options, silent: true }));
  } finally {
    quiet.mockRestore();
  }
};

/** Every option a project may set (x-errata.openapiTypescript), each away from its default. */
const OPTIONS = Object.fromEntries(OPENAPI_TS_OPTIONS.map((o) => [o, o !== 'defaultNonNullable']));

describe("openapi-typescript's transform, without its lint", () => {
  it("prints what openapiTS prints for Picora's openapi.json, with every option errata passes on set", async () => {
    const text = readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8');
    expect((await transformText(text, OPTIONS, await tools)).printed).toBe(await theirs(text, OPTIONS));
  });

  it('prints what openapiTS prints for the RFC 9457 and Google envelopes, and errata writes it as openapi.ts', async () => {
    for (const fixture of ['problem-json', 'google']) {
      const out = await generated({ spec: `test/fixtures/${fixture}/openapi.yaml` });
      const text = readFileSync(path.join(out, 'openapi.json'), 'utf8');
      const printed = (await transformText(text, {}, await tools)).printed;
      expect(printed, fixture).toBe(await theirs(text));
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

  it("leaves openapiTS's one lint rule, unique operationIds, to errata's model: generate refuses an operationId used twice, in paths, webhooks or callbacks", async () => {
    const text = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      paths: { '/a': { get: { operationId: 'same', responses: { '200': { description: 'ok' } } } } },
      webhooks: { thing: { post: { operationId: 'same', responses: { '200': { description: 'ok' } } } } },
    });
    await expect(theirs(text)).rejects.toThrow(/operationId/);
    const missing = "'404': { description: Missing, headers: { x-request-id: { $ref: '#/components/headers/RequestId' } }, x-errata-codes: [NOT_FOUND] }";
    const root = contract({
      paths: `  /a:
    get:
      operationId: same
      responses:
        ${missing}
      callbacks:
        done:
          '{$request.body#/url}':
            post:
              operationId: getShared
              responses: { '200': { description: ok } }
  /b:
    get:
      operationId: same
      responses:
        ${missing}
  /shared:
    $ref: '#/components/pathItems/Shared'`,
      components: `  pathItems:
    Shared:
      get:
        operationId: getShared
        responses:
          ${missing}
${DEFAULT_COMPONENTS}`,
    });
    const dir = tempTree({ 'openapi.yaml': patch(root, '\ncomponents:\n', "\nwebhooks:\n  thing:\n    post:\n      operationId: same\n      responses: { '200': { description: ok } }\ncomponents:\n") });
    const run = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'generated'], dir);
    expect(run.code).toBe(1);
    // Two paths: the names the generated code would give them clash.
    expect(run.stderr).toContain('/paths/~1b/get/operationId');
    expect(run.stderr).toContain('give the operations distinct operationIds');
    // A webhook and a callback: openapi-typescript's `operations` would declare the name twice.
    expect(run.stderr).toContain('/webhooks/thing/post/operationId');
    expect(run.stderr).toContain('operationId "same" is already the operationId of /paths/~1a/get');
    expect(run.stderr).toContain('/paths/~1a/get/callbacks/done/{$request.body#~1url}/post/operationId');
    expect(run.stderr).toContain('operationId "getShared" is already the operationId of /paths/~1shared/get');
    // The shared path item is one operation, reached from /shared and from components.
    expect(run.stderr).not.toContain('/components/pathItems/Shared/get/operationId');
  });

  it("vouches for the output of Picora's and the fixtures' contracts without parsing it", async () => {
    const { ts } = await tools;
    for (const file of ['generated/openapi.json', 'test/fixtures/google/openapi.yaml']) {
      const text = file.endsWith('.json') ? readFileSync(path.join(ROOT, file), 'utf8') : readFileSync(path.join(await generated({ spec: file }), 'openapi.json'), 'utf8');
      const { statements } = await transformText(text, {}, await tools);
      expect(leavesWellFormed(ts, statements), file).toBe(true);
    }
  });

  it('does not vouch for a leaf the printer copies that is not well formed, and the parser then decides', async () => {
    const { ts } = await tools;
    const f = ts.factory;
    const member = (name: TS.PropertyName | string, type: TS.TypeNode) => f.createInterfaceDeclaration(undefined, 'x', undefined, undefined, [f.createPropertySignature(undefined, name, undefined, type)]);
    const ref = (name: string) => f.createTypeReferenceNode(f.createIdentifier(name));
    const commented = (text: string, kind: TS.SyntaxKind.SingleLineCommentTrivia | TS.SyntaxKind.MultiLineCommentTrivia) => ts.addSyntheticLeadingComment(member('a', ref('string')), kind, text, true);
    const fine: [string, TS.Node][] = [
      ['a quoted string with escapes', member('a', ref(JSON.stringify('say "hi"\\n')))],
      ['a reserved word as a property name', member(f.createIdentifier('delete'), ref('string'))],
      ['a number', member('a', f.createLiteralTypeNode(f.createNumericLiteral('1e+21')))],
      ['a comment', commented('* Use the `*` wildcard ', ts.SyntaxKind.MultiLineCommentTrivia)],
    ];
    const doubtful: [string, TS.Node, string[]][] = [
      ['an identifier with a hyphen', member('a', ref('x-errata')), ["';' expected.", 'Declaration or statement expected.']],
      // Doubtful, yet it parses (the checker would object): the parser decides.
      ['a reserved word as a type', member('a', ref('class')), []],
      ['a quoted string with a line break', member('a', ref('"a\nb"')), ['Unterminated string literal.', 'Property or signature expected.', 'Unterminated string literal.', 'Unexpected keyword or identifier.', 'Declaration or statement expected.']],
      ['a quoted string with U+2028 (which parses)', member('a', ref('"a\u2028b"')), []],
      ['a number that is not one', member('a', f.createLiteralTypeNode(f.createNumericLiteral('1 | string'))), []],
      // These two parse: `b:` reads as a label. The parser is the judge, as it was before the walk.
      ['a comment that ends early', commented('* a */ b: string; /* ', ts.SyntaxKind.MultiLineCommentTrivia), []],
      ['a line comment with a line break', commented(' a\n b: number;', ts.SyntaxKind.SingleLineCommentTrivia), []],
      ['a template literal given raw text', member('a', f.createLiteralTypeNode(f.createNoSubstitutionTemplateLiteral('a', 'a'))), []],
      ['a number with a leading zero', member('a', f.createLiteralTypeNode(f.createNumericLiteral('017'))), ['Octal literals are not allowed. Use the syntax \'0o17\'.']],
      ['a quoted string as a declaration name', f.createTypeAliasDeclaration(undefined, f.createIdentifier('"x"'), undefined, ref('string')), ["Type alias name cannot be 'x'."]],
      ['an operator word as a type', member('a', ref('keyof')), ['Type expected.']],
      ['a trailing comment', ts.addSyntheticTrailingComment(member('a', ref('string')), ts.SyntaxKind.SingleLineCommentTrivia, ' end', false), []],
      ['a comment on a type', member('a', ts.addSyntheticLeadingComment(ref('string'), ts.SyntaxKind.MultiLineCommentTrivia, ' a ', false)), []],
    ];
    for (const [what, node] of fine) expect(leavesWellFormed(ts, [node]), what).toBe(true);
    for (const [what, node, messages] of doubtful) {
      expect(leavesWellFormed(ts, [node]), what).toBe(false);
      const printed = ts.createPrinter().printNode(ts.EmitHint.Unspecified, node, ts.createSourceFile('x.ts', '', ts.ScriptTarget.Latest));
      expect(printedProblems(ts, [node], printed).map((p) => p.message), what).toEqual(messages);
    }
  });

  it('says what to do on a Node that refuses require() of ES modules (openapi-typescript is loaded from its CommonJS build)', () => {
    const run = pathToFileURL(path.join(ROOT, 'generator/emit/openapi-types-run.mjs')).href;
    const script = `import(${JSON.stringify(run)}).then((m) => m.loadOpenapiTypescript()).then(() => console.log('loaded'), (e) => console.log(e.message));`;
    const child = spawnSync(process.execPath, ['--no-experimental-require-module', '-e', script], { encoding: 'utf8' });
    expect(child.stdout).toContain("openapi-typescript's CommonJS build requires packages that are ES modules");
    expect(child.stdout).toContain('fix: run errata on Node 20.19 or later 20.x, or 22.12 or later, without --no-experimental-require-module');
  });

  it('finds parse problems with their line and column, JSDoc comments unparsed', async () => {
    const { ts } = await tools;
    expect(parseProblems(ts, 'export interface x {\n  /** {@link */\n  a: string;\n  b: ;\n}\n')).toEqual([{ line: 4, column: 6, message: 'Type expected.' }]);
    expect(parseProblems(ts, 'export interface x {\n  a: string;\n}\n', 10)).toEqual([]);
    // An unclosed comment: at the end of the text (its second line), offset by 2.
    expect(parseProblems(ts, '/** a\n', 2)).toEqual([{ line: 4, column: 1, message: "'*/' expected." }]);
  });
});
