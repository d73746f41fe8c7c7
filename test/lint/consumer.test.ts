import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonReports, run } from './redocly';
import { consumerRepo } from './setup';
import { patch } from '../helpers/patch';

describe('a service repository linting against the catalog.json this repository generates', () => {
  /**
   * The repository's contract as it is, and a copy beside it with four mistakes, linted by one run
   * of the real Redocly CLI with the repository's own redocly.yaml (one start-up for the two cases).
   */
  let linted: { code: number; clean: ReturnType<typeof parseJsonReports>[number]; broken: ReturnType<typeof parseJsonReports>[number] };
  beforeAll(async () => {
    const dir = await consumerRepo();
    let text = readFileSync(path.join(dir, 'openapi.yaml'), 'utf8');
    text = patch(text, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [INVOICE_NOT_FOUND, RATE_LIMITED]');
    text = patch(text, "            Retry-After: { $ref: '#/components/headers/RetryAfter' }\n", '');
    text = patch(text, "schema: { $ref: '#/components/schemas/Error' }", "schema: { $ref: '#/components/schemas/Invoice' }");
    writeFileSync(path.join(dir, 'broken.yaml'), text);
    const r = await run(['lint', 'openapi.yaml', 'broken.yaml', '--format', 'json'], dir);
    // One JSON report per contract, in the order given.
    const [clean, broken] = parseJsonReports(r.stdout);
    linted = { code: r.code, clean: clean!, broken: broken! };
  });

  it('lints clean with Redocly recommended + errata/all when it uses the catalog correctly', () => {
    expect(linted.clean).toEqual({ totals: { errors: 0, warnings: 0, ignored: 0 }, problems: [] });
  });

  it("reports codes missing from the organisation's catalog, codes under the wrong status, missing headers and foreign bodies", () => {
    // The run's exit code is the broken copy's (the clean one alone exits 0: no problem at all).
    expect(linted.code).toBe(1);
    const problems = linted.broken.problems
      .filter((p) => p.ruleId.startsWith('errata/'))
      .map((p) => ({ ruleId: p.ruleId, pointer: p.pointer, line: p.line }))
      .sort((a, b) => a.line - b.line || a.pointer.localeCompare(b.pointer));
    const op = '#/paths/~1v1~1invoices~1{id}/get/responses';
    expect(problems).toEqual([
      { ruleId: 'errata/error-response-envelope', pointer: `${op}/401/content/application~1json/schema/$ref`, line: 33 },
      // RATE_LIMITED is `retry: after` in the catalog, so the 404 that now lists it needs Retry-After too.
      { ruleId: 'errata/retry-after-header', pointer: `${op}/404`, line: 34 },
      { ruleId: 'errata/error-code-defined', pointer: `${op}/404/x-errata-codes/0`, line: 38 },
      { ruleId: 'errata/error-code-status', pointer: `${op}/404/x-errata-codes/1`, line: 38 },
      { ruleId: 'errata/retry-after-header', pointer: `${op}/429`, line: 39 },
    ]);
    expect(linted.broken.problems.every((p) => p.file === 'broken.yaml')).toBe(true);
  });

  it('says so, at the root, when the catalog file cannot be read', async () => {
    const dir = await consumerRepo();
    const config = path.join(dir, 'redocly.yaml');
    writeFileSync(config, patch(readFileSync(config, 'utf8'), './vendor/picora-errors/catalog.json', './vendor/missing.json'));
    const r = await run(['lint', 'openapi.yaml', '--format', 'json'], dir);
    const problems = parseJsonReports(r.stdout)[0]!.problems;
    expect(problems).toContainEqual(expect.objectContaining({ ruleId: 'errata/error-code-defined', pointer: '#/', message: expect.stringContaining('vendor/missing.json named by the `catalog` option cannot be read') }));
  });
});
