import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_ERRATA, lintCases, type Found } from '../../../test/lint/redocly';

describe('errata/error-code-documented', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('error-code-documented', {
      clean: contract(),
      noFix: contract({ errata: DEFAULT_ERRATA.replace(', fix: Check the id.', '') }),
      emptyDescription: contract({ errata: DEFAULT_ERRATA.replace('description: No such thing.', "description: '  '") }),
      neither: contract({ errata: DEFAULT_ERRATA.replace('{ status: 429, description: Too many requests., fix: Wait.,', '{ status: 429,') }),
      noConventions: contract({ errata: '' }),
    });
  });

  it('passes a catalog whose codes all have a description and a fix', () => {
    expect(found.clean).toEqual([]);
    expect(found.noConventions).toEqual([]);
  });

  it('reports a missing fix at the code', () => {
    expect(found.noFix).toMatchObject([{ pointer: '#/x-errata/catalog/codes/NOT_FOUND', line: 11, col: 7, message: expect.stringMatching(/^NOT_FOUND has no how-to-fix text \(`fix`\)\. Fix: write `fix:`/) }]);
  });

  it('reports a blank description at the description itself', () => {
    expect(found.emptyDescription).toMatchObject([{ pointer: '#/x-errata/catalog/codes/NOT_FOUND/description' }]);
  });

  it('reports a code missing both once', () => {
    expect(found.neither).toMatchObject([{ pointer: '#/x-errata/catalog/codes/RATE_LIMITED', message: expect.stringContaining('has no description and no how-to-fix text') }]);
  });
});
