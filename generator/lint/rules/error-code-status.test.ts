import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

const sharedUnder = (statuses: string[]) =>
  statuses.map((s, i) => `  /op${i}:\n    get:\n      operationId: op${i}\n      responses:\n        '${s}': { $ref: '#/components/responses/RateLimited' }`).join('\n');

describe('errata/error-code-status', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('error-code-status', {
      clean: contract(),
      ranges: contract({ paths: patch(patch(DEFAULT_PATHS, "'404':", "'4XX':"), "'500':", 'default:') }),
      wrongStatus: contract({ paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NOT_FOUND, INTERNAL]') }),
      wrongRange: contract({ paths: patch(DEFAULT_PATHS, "'500':", "'4XX':") }),
      sharedTwice: contract({ paths: sharedUnder(['429', '400', '503', '400']) }),
      unknownIsNotThisRule: contract({ paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [GONE]') }),
      chained: patch(contract({ paths: patch(DEFAULT_PATHS, "'#/components/responses/RateLimited'", "'#/components/responses/Slow'") }), '  responses:\n    RateLimited:', '  responses:\n    Slow: { $ref: ./responses/Slow.yaml }\n    RateLimited:'),
    }, { extraFiles: { 'responses/Slow.yaml': 'description: Slow down.\nx-errata-codes: [RATE_LIMITED, NOT_FOUND]\n' } });
  });

  it('passes codes under their catalog status, a matching range, or default', () => {
    expect(found.clean).toEqual([]);
    expect(found.ranges).toEqual([]);
    expect(found.unknownIsNotThisRule).toEqual([]);
  });

  it('reports a code under a status its catalog entry does not allow, at the code', () => {
    expect(found.wrongStatus).toMatchObject([
      {
        pointer: '#/paths/~1things~1{id}/get/responses/404/x-errata-codes/1',
        message: 'INTERNAL is declared under status 404 (getThing 404), but the catalog allows it only under 500, 503. Fix: move it to a 500 or 503 response, or add 404 to its `status` in the catalog',
      },
    ]);
  });

  it('follows a chain of $refs into the file where the response is written', () => {
    expect(found.chained).toMatchObject([{ file: 'responses/Slow.yaml', pointer: '#/x-errata-codes/1', line: 2, col: 32, message: expect.stringContaining('NOT_FOUND is declared under status 429') }]);
  });

  it('checks 4XX ranges against the code statuses', () => {
    expect(found.wrongRange).toMatchObject([{ pointer: '#/components/responses/Internal/x-errata-codes/0', message: expect.stringContaining('under status 4XX') }]);
  });

  it('reports a shared response used under several wrong statuses once, naming every use', () => {
    expect(found.sharedTwice).toHaveLength(1);
    expect(found.sharedTwice![0]).toMatchObject({
      pointer: '#/components/responses/RateLimited/x-errata-codes/0',
      message: expect.stringContaining('RATE_LIMITED is declared under status 400 and 503 (op1 400, op2 503, op3 400)'),
    });
  });
});
