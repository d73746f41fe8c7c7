import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_ERRATA, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

describe('errata/error-code-documented', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('error-code-documented', {
      clean: contract(),
      noFix: contract({ errata: patch(DEFAULT_ERRATA, ', fix: Check the id.', '') }),
      emptyDescription: contract({ errata: patch(DEFAULT_ERRATA, 'description: No such thing.', "description: '  '") }),
      neither: contract({ errata: patch(DEFAULT_ERRATA, '{ status: 429, description: Too many requests., fix: Wait.,', '{ status: 429,') }),
      noConventions: contract({ errata: '' }),
      codesInFile: contract({ errata: patch(DEFAULT_ERRATA, /    codes:\n[\s\S]*$/, '    codes: { $ref: ./codes.yaml }') }),
      entryInFile: contract({ errata: patch(DEFAULT_ERRATA, /      NOT_FOUND: .*/, '      NOT_FOUND: { $ref: ./codes/NOT_FOUND.yaml }') }),
    }, {
      extraFiles: {
        'codes.yaml': `NOT_FOUND: { status: 404, description: No such thing. }
RATE_LIMITED: { status: 429, description: '  ', fix: Wait., retry: after }
INTERNAL: { status: [500, 503], description: Server error., fix: Retry later., retry: backoff }
`,
        'codes/NOT_FOUND.yaml': "status: 404\ndescription: No such thing.\nfix: ''\n",
      },
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

  it('reports in the file where the entry is written when `codes` or an entry is a $ref', () => {
    expect(found.codesInFile).toMatchObject([
      { file: 'codes.yaml', pointer: '#/NOT_FOUND', line: 1, col: 1, message: expect.stringContaining('NOT_FOUND has no how-to-fix text') },
      { file: 'codes.yaml', pointer: '#/RATE_LIMITED/description', line: 2, message: expect.stringContaining('RATE_LIMITED has no description') },
    ]);
    expect(found.entryInFile).toMatchObject([{ file: 'codes/NOT_FOUND.yaml', pointer: '#/fix', line: 3, message: expect.stringContaining('NOT_FOUND has no how-to-fix text') }]);
  });

  it('reports a code missing both once', () => {
    expect(found.neither).toMatchObject([{ pointer: '#/x-errata/catalog/codes/RATE_LIMITED', message: expect.stringContaining('has no description and no how-to-fix text') }]);
  });
});
