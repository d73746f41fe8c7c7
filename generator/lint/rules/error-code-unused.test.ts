import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';

describe('errata/error-code-unused', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases(
      'error-code-unused',
      {
        clean: contract(),
        unused: contract({ errata: `${DEFAULT_ERRATA}\n      GONE: { status: 410, description: Gone., fix: Stop asking. }` }),
        onlyInUnusedComponent: contract({ paths: DEFAULT_PATHS.replace("        '500': { $ref: '#/components/responses/Internal' }", '') }),
        withOption: contract({ errata: '' }),
      },
      { extraFiles: { 'catalog.json': JSON.stringify({ codes: { NOT_FOUND: { status: [404] }, ELSEWHERE: { status: [400] } } }) }, ruleOptions: {} },
    );
  });

  it('passes when every code is declared by some operation', () => {
    expect(found.clean).toEqual([]);
  });

  it('warns, at the catalog entry, about a code no operation declares', () => {
    expect(found.unused).toMatchObject([{ severity: 'error', pointer: '#/x-errata/catalog/codes/GONE', message: expect.stringContaining('GONE is in the catalog, but no operation declares it') }]);
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
