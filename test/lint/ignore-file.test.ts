import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patch } from '../helpers/patch';
import { parseJsonReports, run } from './redocly';
import { fixtureCopy } from './setup';

const NEW_OPERATION = `  /orders/{id}/refunds:
    post:
      operationId: refundOrder
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '201':
          description: Refunded.
          headers:
            x-request-id: { $ref: ./headers.yaml#/RequestId }
        '400':
          description: The refund is not possible.
          headers:
            x-request-id: { $ref: ./headers.yaml#/RequestId }
`;

describe('adopting errata on an existing contract with `--generate-ignore-file`', () => {
  it("baselines today's problems, and still checks an operation added afterwards", async () => {
    const dir = await fixtureCopy('mistakes');
    const before = parseJsonReports((await run(['lint', 'openapi.yaml', '--format', 'json'], dir)).stdout)[0]!;
    expect(before.totals.errors).toBeGreaterThan(10);

    const generated = await run(['lint', 'openapi.yaml', '--generate-ignore-file'], dir);
    expect(generated.code).toBe(0);
    const ignoreFile = path.join(dir, '.redocly.lint-ignore.yaml');
    expect(existsSync(ignoreFile)).toBe(true);
    expect(readFileSync(ignoreFile, 'utf8')).toContain('errata/operation-error-codes');

    const baselined = await run(['lint', 'openapi.yaml', '--format', 'json'], dir);
    expect(baselined.code).toBe(0);
    expect(parseJsonReports(baselined.stdout)[0]!.totals).toEqual({ errors: 0, warnings: 0, ignored: before.problems.length });

    // The new operation goes under `paths:` of the root document.
    const root = path.join(dir, 'openapi.yaml');
    const text = readFileSync(root, 'utf8');
    writeFileSync(root, patch(text, 'components:\n', `${NEW_OPERATION}components:\n`));

    const after = await run(['lint', 'openapi.yaml', '--format', 'json'], dir);
    expect(after.code).toBe(1);
    const report = parseJsonReports(after.stdout)[0]!;
    expect(report.totals.ignored).toBe(before.problems.length);
    expect(report.problems).toEqual([
      {
        ruleId: 'errata/operation-error-codes',
        severity: 'error',
        message: 'the 400 response of refundOrder does not declare its error codes. Fix: list the codes it can return: `x-errata-codes: [SOME_CODE]` (each one defined in the catalog)',
        file: 'openapi.yaml',
        pointer: '#/paths/~1orders~1{id}~1refunds/post/responses/400',
        line: 30,
        col: 9,
      },
    ]);
  });
});
