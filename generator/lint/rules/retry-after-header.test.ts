import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_COMPONENTS, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

const noRetryAfter = patch(DEFAULT_COMPONENTS, "        Retry-After: { $ref: '#/components/headers/RetryAfter' }\n", '');

describe('errata/retry-after-header', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('retry-after-header', {
      clean: contract(),
      lowerCase: contract({ components: patch(DEFAULT_COMPONENTS, 'Retry-After:', 'retry-after:') }),
      missing429: contract({ components: noRetryAfter }),
      inline429: contract({ paths: patch(patch(patch(DEFAULT_PATHS, "'404':", "'429':"), '[NOT_FOUND]', '[RATE_LIMITED]'), "        '429': { $ref: '#/components/responses/RateLimited' }\n", '') }),
      retryAfterCode: contract({
        errata: patch(DEFAULT_ERRATA, "fix: Check the id. }", 'fix: Check the id., retry: after }'),
      }),
      noCatalog: contract({ errata: '', components: noRetryAfter }),
    });
  });

  it('passes 429s and retry-after codes that declare Retry-After, in any letter case', () => {
    expect(found.clean).toEqual([]);
    expect(found.lowerCase).toEqual([]);
  });

  it('reports a shared 429 without Retry-After once, at the component', () => {
    expect(found.missing429).toMatchObject([
      { pointer: '#/components/responses/RateLimited', message: expect.stringMatching(/does not declare a `Retry-After` header, but it is used as a 429 \(getThing 429\) and it declares RATE_LIMITED, which the catalog marks `retry: after`\. Fix: add `headers: \{ Retry-After:/) },
    ]);
  });

  it('reports an inline 429', () => {
    expect(found.inline429).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/429' }]);
  });

  it('reports a non-429 response whose code the catalog marks retry: after', () => {
    expect(found.retryAfterCode).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/404', message: expect.stringContaining('it declares NOT_FOUND, which the catalog marks `retry: after`') }]);
  });

  it('still checks 429s in a contract without a catalog', () => {
    expect(found.noCatalog).toMatchObject([{ pointer: '#/components/responses/RateLimited', message: expect.not.stringContaining('retry: after') }]);
  });
});
