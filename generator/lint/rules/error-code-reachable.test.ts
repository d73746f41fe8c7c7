import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errataInProcess, tempTree } from '../../../test/helpers/cli';
import { contract, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';

/** NOT_FOUND (404 only) under 4XX beside an exact 404: the 404 response answers every 404. */
const shadowed = contract({ paths: DEFAULT_PATHS.replace("        '429':", "        '4XX':\n          description: Client errors.\n          x-errata-codes: [NOT_FOUND]\n        '429':") });
const misplaced = contract({ paths: DEFAULT_PATHS.replace('x-errata-codes: [NOT_FOUND]', 'x-errata-codes: []').replace("        '429':", "        '4XX':\n          description: Client errors.\n          x-errata-codes: [NOT_FOUND]\n        '429':") });

describe('errata/error-code-reachable', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('error-code-reachable', {
      clean: contract(),
      rangeOnly: contract({ paths: DEFAULT_PATHS.replace("'404':", "'4XX':") }),
      shadowed,
      misplaced,
      underDefault: contract({ paths: DEFAULT_PATHS.replace("        '500': { $ref: '#/components/responses/Internal' }", "        '500': { $ref: '#/components/responses/Internal' }\n        '503': { $ref: '#/components/responses/Internal' }\n        default: { $ref: '#/components/responses/Internal' }") }),
    });
  });

  it('passes codes that some status of theirs reaches', () => {
    expect(found.clean).toEqual([]);
    expect(found.rangeOnly).toEqual([]);
  });

  it('reports a code under 4XX whose only status has its own exact response, at the listing', () => {
    expect(found.shadowed).toMatchObject([
      {
        pointer: '#/paths/~1things~1{id}/get/responses/4XX/x-errata-codes/0',
        message:
          'NOT_FOUND is listed under 4XX in getThing, but no response there can carry it: its status is answered 404 by the 404 response (an exact status key wins over a range, a range over default). Fix: remove it from 4XX: 404 already lists it',
      },
    ]);
    expect(found.misplaced).toMatchObject([{ message: expect.stringContaining('Fix: list it under 404 instead of 4XX') }]);
  });

  it('reports a code under default whose every status has an exact key', () => {
    expect(found.underDefault).toMatchObject([{ pointer: '#/components/responses/Internal/x-errata-codes/0', message: expect.stringContaining('INTERNAL is listed under default in getThing, but no response there can carry it: its statuses are answered 500 by the 500 response, 503 by the 503 response') }]);
  });

  it('errata generate refuses the same listing with the same words', async () => {
    const dir = tempTree({ 'openapi.yaml': shadowed });
    const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(1);
    const [message, fix] = found.shadowed![0]!.message.split('. Fix: ');
    expect(r.stderr).toContain(`#/paths/~1things~1{id}/get/responses/4XX/x-errata-codes/0\n  error: ${message}\n  fix:   ${fix}`);
  });
});
