import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_COMPONENTS, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';

const HEADER = "headers: { x-request-id: { $ref: '#/components/headers/RequestId' } }";

describe('errata/request-id-header', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('request-id-header', {
      clean: contract(),
      otherCase: contract({ paths: DEFAULT_PATHS.replace(HEADER, "headers: { X-Request-ID: { $ref: '#/components/headers/RequestId' } }") }),
      success: contract({ paths: DEFAULT_PATHS.replace(`          ${HEADER}\n`, '') }),
      shared: contract({
        paths: `${DEFAULT_PATHS}\n  /more:\n    get:\n      operationId: more\n      responses:\n        '500': { $ref: '#/components/responses/Internal' }`,
        components: DEFAULT_COMPONENTS.replace(`      ${HEADER}\n      x-errata-codes: [INTERNAL]`, '      x-errata-codes: [INTERNAL]'),
      }),
      notRequired: contract({ errata: DEFAULT_ERRATA.replace('    requestId: { header: x-request-id }\n', ''), paths: DEFAULT_PATHS.replaceAll(HEADER, '') }),
    });
  });

  it('passes when every response declares the header, in any letter case', () => {
    expect(found.clean).toEqual([]);
    expect(found.otherCase).toEqual([]);
  });

  it('reports a success response without it, at its status', () => {
    expect(found.success).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/200', message: expect.stringMatching(/\(getThing 200\) does not declare the `x-request-id` header.*Fix: add `headers: \{ x-request-id:/) }]);
  });

  it('reports a shared response once, naming the operations that use it', () => {
    expect(found.shared).toMatchObject([{ pointer: '#/components/responses/Internal', message: expect.stringContaining('(getThing 500, more 500)') }]);
  });

  it('checks nothing when the envelope names no request-id header', () => {
    expect(found.notRequired).toEqual([]);
  });
});
