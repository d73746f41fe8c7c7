import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonReports, run } from './redocly';
import { configDir } from './setup';

/** Contracts that bend errata's conventions out of shape: the rules report, they never throw. */
const CASES: Record<string, string> = {
  errataScalar: 'x-errata: 5',
  errataList: 'x-errata: [envelope, catalog]',
  catalogString: "x-errata: { catalog: 'errors.yaml', envelope: 'Error' }",
  catalogBrokenRef: 'x-errata: { catalog: { $ref: ./missing.yaml }, envelope: { schema: { $ref: ./missing.yaml } } }',
  codesList: 'x-errata: { catalog: { codes: [A, B] } }',
  codeEntryScalar: 'x-errata: { catalog: { codes: { A: 404, B: null } } }',
  envelopeNoPointers: "x-errata: { envelope: { schema: { $ref: '#/components/schemas/Error' }, code: 5, requestId: 7 } }",
};

const paths = `paths:
  /a:
    get:
      responses:
        '200': { description: OK, headers: [x-request-id] }
        '404': { description: Missing, x-errata-codes: NOT_FOUND, content: [] }
        '409': { description: Conflict, x-errata-codes: [null, 5, { a: 1 }], content: { application/json: 5 } }
        '429': { description: Slow, headers: 5 }
        default: { $ref: '#/components/responses/Nope' }
  /b:
    get:
      responses: {}
components:
  schemas:
    Error: { type: object, properties: { code: { type: integer } } }`;

describe('odd shapes of the conventions', () => {
  it('every errata rule runs to the end on each and reports through Redocly', async () => {
    const dir = await configDir();
    const names = Object.keys(CASES);
    for (const name of names) writeFileSync(path.join(dir, `${name}.yaml`), `openapi: 3.1.0\ninfo: { title: Odd, version: '1' }\n${CASES[name]}\n${paths}\n`);
    const r = await run(['lint', ...names.map((n) => `${n}.yaml`), '--format', 'json', '--max-problems', '1000'], dir);
    expect(r.stderr).not.toMatch(/Something went wrong|TypeError|ReferenceError|RangeError|redocly-plugin\.mjs:\d+/);
    const reports = parseJsonReports(r.stdout);
    expect(reports).toHaveLength(names.length);
    for (const report of reports) {
      const errata = report.problems.filter((p) => p.ruleId.startsWith('errata/'));
      // The undeclared codes of 404 and 409, and the 429 without Retry-After, are found every time.
      expect(errata.map((p) => p.ruleId)).toEqual(expect.arrayContaining(['errata/operation-error-codes', 'errata/retry-after-header']));
      for (const p of errata) expect(p.message).toMatch(/\. Fix: \S/);
    }
  });
});
