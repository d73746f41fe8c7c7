import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

describe('errata/error-code-unused', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases(
      'error-code-unused',
      {
        clean: contract(),
        unused: contract({ errata: `${DEFAULT_ERRATA}\n      GONE: { status: 410, description: Gone., fix: Stop asking. }` }),
        onlyInUnusedComponent: contract({ paths: patch(DEFAULT_PATHS, "        '500': { $ref: '#/components/responses/Internal' }", '') }),
        codesInFile: contract({ errata: patch(DEFAULT_ERRATA, /    codes:\n[\s\S]*$/, '    codes: { $ref: ./codes.yaml }') }),
        entryInFile: contract({ errata: `${DEFAULT_ERRATA}\n      GONE: { $ref: ./codes/GONE.yaml }` }),
      },
      {
        extraFiles: {
          'codes.yaml': `NOT_FOUND: { status: 404, description: No such thing., fix: Check the id. }
RATE_LIMITED: { status: 429, description: Too many requests., fix: Wait., retry: after }
INTERNAL: { status: [500, 503], description: Server error., fix: Retry later., retry: backoff }
GONE: { status: 410, description: Gone., fix: Stop asking. }
`,
          'codes/GONE.yaml': 'status: 410\ndescription: Gone.\nfix: Stop asking.\n',
        },
      },
    );
  });

  it('passes when every code is declared by some operation', () => {
    expect(found.clean).toEqual([]);
  });

  it('warns, at the catalog entry, about a code no operation declares', () => {
    expect(found.unused).toMatchObject([{ severity: 'error', pointer: '#/x-errata/catalog/codes/GONE', message: expect.stringContaining('GONE is in the catalog, but no operation declares it') }]);
  });

  it('reports in the file where `codes` is written when it is a $ref, and at the name of a $ref-ed entry', () => {
    expect(found.codesInFile).toMatchObject([{ file: 'codes.yaml', pointer: '#/GONE', line: 4, col: 1, message: expect.stringContaining('GONE is in the catalog') }]);
    expect(found.entryInFile).toMatchObject([{ file: 'entryInFile.yaml', pointer: '#/x-errata/catalog/codes/GONE', line: 14, col: 7 }]);
  });

  it('does not count a shared response that no operation uses', () => {
    expect(found.onlyInUnusedComponent).toMatchObject([{ pointer: '#/x-errata/catalog/codes/INTERNAL' }]);
  });
});

describe('errata/error-code-unused against a catalog.json', () => {
  it('stays silent: a service uses a subset of its organisation catalog', async () => {
    const found = await lintCases('error-code-unused', { service: contract({ errata: '' }) }, { extraFiles: { 'catalog.json': JSON.stringify({ codes: { NOT_FOUND: { status: [404], description: 'x', fix: 'y' }, ELSEWHERE: { status: [400] } } }) }, ruleOptions: { catalog: 'catalog.json' } });
    expect(found.service).toEqual([]);
  });
});
