import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';
import { parseJsonReports, run } from '../lint/redocly';
import { configDir } from '../lint/setup';

/** Issue 13, item 2: unrouted errors (`x-errata.unrouted`), judged by generate and lint in the same words. */

const CODES = `  METHOD_NOT_ALLOWED:
    status: 405
    category: resource
    description: The path exists, but not with this method.
    fix: Use one of the methods in the Allow header.
  RATE_LIMITED:
    status: 429
    category: resource
    retry: after
    description: Too many requests at the edge.
    fix: Wait for Retry-After seconds.
`;

/** The mini contract with unrouted errors written by `unrouted` (YAML under `x-errata:`). */
function withUnrouted(unrouted: string): Record<string, string> {
  const mini = miniContract();
  return {
    ...mini,
    'openapi.yaml': mini['openapi.yaml']!.replace('  catalog: { $ref: ./catalog.yaml }\n', `  catalog: { $ref: ./catalog.yaml }\n  unrouted:\n${unrouted}`),
    'catalog.yaml': `${mini['catalog.yaml']}${CODES}`,
  };
}

/** Generate's problems and lint's (errata/all), as `file message. Fix: fix`, sorted. */
async function bothWays(files: Record<string, string>): Promise<{ generate: string[]; lint: string[]; code: number }> {
  // request-id-header is lint's alone (generate does not check success responses' headers): off here.
  const dir = tempTree({ ...files, 'openapi.yaml': files['openapi.yaml']!.replace('    requestId: { header: x-request-id }\n', '') });
  const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', path.join(dir, 'out')]);
  const generate = [...r.stderr.matchAll(/^(\S+?):(\d+):\d+ #\S*\n  error: (.*)\n  fix:   (.*)$/gm)].map((m) => `${path.relative(dir, m[1]!)} ${m[3]}. Fix: ${m[4]}`);
  const lintDir = await configDir('extends: [errata/all]\nrules: { errata/error-code-unused: off }');
  const out = await run(['lint', path.join(dir, 'openapi.yaml'), '--format', 'json', '--config', path.join(lintDir, 'redocly.yaml')], dir);
  const lint = parseJsonReports(out.stdout)[0]!.problems.filter((p) => p.ruleId.startsWith('errata/')).map((p) => `${p.file} ${p.message}`);
  return { generate: generate.sort(), lint: lint.sort(), code: r.code };
}

describe('unrouted errors: generate and lint agree', () => {
  it('accepts a faithful declaration in both', async () => {
    const r = await bothWays(
      withUnrouted(`    '404': { description: No operation has this path., x-errata-codes: [NOT_FOUND] }
    '405':
      description: The path exists, but not with this method.
      headers: { Allow: { schema: { type: string } } }
      x-errata-codes: [METHOD_NOT_ALLOWED]
    '413': { $ref: '#/components/responses/TooLarge' }
    '429':
      description: The edge limiter.
      headers: { Retry-After: { schema: { type: integer } } }
      x-errata-codes: [RATE_LIMITED]
`),
    );
    expect(r).toEqual({ generate: [], lint: [], code: 0 });
  });

  it('reports an unknown code, a wrong status, a range key, a 429 without Retry-After and a 405 without Allow, word for word', async () => {
    const r = await bothWays(
      withUnrouted(`    '404': { description: Unknown route., x-errata-codes: [NOT_FOUN, FILE_TOO_LARGE] }
    '405': { description: Wrong method., x-errata-codes: [METHOD_NOT_ALLOWED] }
    4XX: { description: Anything else., x-errata-codes: [NOT_FOUND] }
    '429': { description: The edge limiter., x-errata-codes: [RATE_LIMITED] }
`),
    );
    expect(r.code).toBe(1);
    expect(r.generate).toEqual([
      'openapi.yaml FILE_TOO_LARGE is declared under status 404 (x-errata.unrouted 404), but the catalog allows it only under 413, 422. Fix: move it to a 413 or 422 response, or add 404 to its `status` in the catalog',
      'openapi.yaml NOT_FOUND is listed under 4XX in x-errata.unrouted, but no response there can carry it: its status is answered 404 by the 404 response (an exact status key wins over a range, a range over default). Fix: list it under 404 instead of 4XX',
      'openapi.yaml `x-errata.unrouted` lists a response under "4XX", but unrouted errors are keyed by an exact error status (404, 405, 413, 429…). Fix: write one entry per status the codes are sent with instead of 4XX',
      "openapi.yaml this response does not declare a `Retry-After` header, but it is used as a 429 (x-errata.unrouted 429) whose codes are not all `retry: backoff` and it declares RATE_LIMITED, which the catalog marks `retry: after`. Fix: add `headers: { Retry-After: { $ref: '#/components/headers/RetryAfter' } }` (seconds until the client may retry)",
      "openapi.yaml this response is used as a 405 (x-errata.unrouted 405) but does not declare an `Allow` header, which RFC 9110 §15.5.6 requires on every 405. Fix: add `headers: { Allow: { $ref: '#/components/headers/Allow' } }` (the methods the path accepts, e.g. `GET, DELETE`)",
      'openapi.yaml unknown error code "NOT_FOUN": it is not in the catalog. Fix: did you mean NOT_FOUND? Otherwise add it to the catalog\'s `codes`',
    ]);
    expect(r.lint).toEqual(r.generate);
  });
});
