import { beforeAll, describe, expect, it } from 'vitest';
import { listedCodeProblem } from '../../model/operations';
import type { CatalogCode } from '../../model/types';
import { contract, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

describe('errata/error-code-defined', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases(
      'error-code-defined',
      {
        clean: contract(),
        typo: contract({ paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NOT_FOUD]') }),
        unknown: contract({ paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NOT_FOUND, GONE, 42]') }),
        twice: contract({ paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NOT_FOUND, NOT_FOUND]') }),
        shared: patch(contract({ paths: `${DEFAULT_PATHS}\n  /other:\n    get:\n      responses:\n        '500': { $ref: '#/components/responses/Internal' }` }), 'x-errata-codes: [INTERNAL]', 'x-errata-codes: [INTERNAL_ERROR]'),
        badCatalog: contract({ errata: patch(DEFAULT_ERRATA, '{ status: 404,', '{ status: 200,') }),
        noConventions: contract({ errata: '' }),
        externalCatalog: contract({ errata: patch(DEFAULT_ERRATA, /  catalog:\n[\s\S]*$/, '  catalog: { $ref: ./errors.yaml#/catalog }') }),
        listsRejected: contract({
          errata: patch(DEFAULT_ERRATA, /  catalog:\n[\s\S]*$/, '  catalog: { $ref: ./errors.yaml#/catalog }'),
          paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NOT_FOUND, lowercase_code]'),
        }),
      },
      {
        extraFiles: {
          'errors.yaml': `catalog:
  codes:
    NOT_FOUND: { status: 404, description: No such thing., fix: Check the id. }
    RATE_LIMITED: { status: 429, description: Too many requests., fix: Wait., retry: after }
    INTERNAL: { status: 500, description: Server error., fix: Retry later. }
    lowercase_code: { status: 400, description: Bad., fix: Fix. }
`,
        },
      },
    );
  });

  it('passes when every declared code is in the catalog', () => {
    expect(found.clean).toEqual([]);
  });

  it('reports an unknown code at its list item and suggests the near one', () => {
    expect(found.typo).toMatchObject([
      { pointer: '#/paths/~1things~1{id}/get/responses/404/x-errata-codes/0', message: expect.stringMatching(/unknown error code "NOT_FOUD": it is not in the catalog\. Fix: did you mean NOT_FOUND\?/) },
    ]);
  });

  it('words an unknown code exactly as `errata generate` does, with the same suggestions', () => {
    const codes = new Map(['NOT_FOUND', 'RATE_LIMITED', 'INTERNAL', 'FORBIDDEN'].map((c) => [c, {} as CatalogCode]));
    const generate = listedCodeProblem('NOT_FOUD', new Set(), codes)!;
    expect(found.typo![0]!.message).toBe(`${generate.message}. Fix: ${generate.fix}`);
    expect(listedCodeProblem('FORBIDEN', new Set(), codes)!.fix).toMatch(/^did you mean FORBIDDEN\? /);
  });

  it('reports every bad item: unknown, not a string, listed twice', () => {
    expect(found.unknown!.map((p) => p.pointer.split('/').pop())).toEqual(['1', '2']);
    expect(found.unknown![1]!.message).toContain('42 is not an error code');
    expect(found.twice).toMatchObject([{ pointer: expect.stringMatching(/x-errata-codes\/1$/), message: expect.stringContaining('listed twice') }]);
  });

  it('reports a code of a shared response once, at the component', () => {
    expect(found.shared).toHaveLength(1);
    expect(found.shared![0]).toMatchObject({ pointer: '#/components/responses/Internal/x-errata-codes/0', message: expect.stringContaining('"INTERNAL_ERROR"') });
  });

  it("reports the catalog's own mistakes where they are written, also in another file", () => {
    expect(found.badCatalog).toMatchObject([{ pointer: '#/x-errata/catalog/codes/NOT_FOUND/status', message: expect.stringContaining('needs an error status') }]);
    expect(found.externalCatalog).toMatchObject([{ file: 'errors.yaml', pointer: '#/catalog/codes/lowercase_code', line: 6, message: expect.stringContaining('is not UPPER_SNAKE_CASE') }]);
  });

  it('reports a code the catalog writes but rejects once, in the catalog, not again where it is listed', () => {
    expect(found.listsRejected).toMatchObject([{ file: 'errors.yaml', pointer: '#/catalog/codes/lowercase_code', message: expect.stringContaining('is not UPPER_SNAKE_CASE') }]);
  });

  it('reports a contract without conventions once, at the root, instead of failing', () => {
    expect(found.noConventions).toMatchObject([{ pointer: '#/', message: expect.stringContaining('no error catalog') }]);
  });
});
