import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_COMPONENTS, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

const HEADER = "headers: { x-request-id: { $ref: '#/components/headers/RequestId' } }";

describe('errata/request-id-header', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('request-id-header', {
      clean: contract(),
      otherCase: contract({ paths: patch(DEFAULT_PATHS, HEADER, "headers: { X-Request-ID: { $ref: '#/components/headers/RequestId' } }", { all: true }) }),
      success: contract({ paths: patch(DEFAULT_PATHS, `description: The thing.\n          ${HEADER}\n`, 'description: The thing.\n') }),
      shared: contract({
        paths: `${DEFAULT_PATHS}\n  /more:\n    get:\n      operationId: more\n      responses:\n        '500': { $ref: '#/components/responses/Internal' }`,
        components: patch(DEFAULT_COMPONENTS, `      ${HEADER}\n      x-errata-codes: [INTERNAL]`, '      x-errata-codes: [INTERNAL]'),
      }),
      notRequired: contract({ errata: patch(DEFAULT_ERRATA, '    requestId: { header: x-request-id }\n', ''), paths: patch(DEFAULT_PATHS, HEADER, '', { all: true }) }),
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
