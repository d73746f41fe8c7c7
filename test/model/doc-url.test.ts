import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { parseJsonReports, run } from '../lint/redocly';
import { configDir } from '../lint/setup';

/**
 * Issue 15: a Stripe-style `doc_url` member (envelope `docUrl`) sends each code's address in the
 * published reference, for envelopes that are not problem+json (whose `type` does the same).
 */
const FIXTURE = path.join(ROOT, 'test/fixtures/nested-error');

function contract(docsUrl: string | undefined): Record<string, string> {
  const openapi = readFileSync(path.join(FIXTURE, 'openapi.yaml'), 'utf8');
  const errors = readFileSync(path.join(FIXTURE, 'errors.yaml'), 'utf8');
  const withDocUrl = openapi.replace('    requestId: { body: /request_id }\n', '    requestId: { body: /request_id }\n    docUrl: /error/doc_url\n');
  expect(withDocUrl).not.toBe(openapi);
  const withBase = docsUrl ? withDocUrl.replace("  catalog: { $ref: './errors.yaml#/catalog' }\n", `  catalog: { $ref: './errors.yaml#/catalog' }\n  docsUrl: ${docsUrl}\n`) : withDocUrl;
  const member = errors.replace('        message: { type: string }\n', '        message: { type: string }\n        doc_url: { type: string, format: uri }\n');
  expect(member).not.toBe(errors);
  return { 'openapi.yaml': withBase, 'errors.yaml': member };
}

describe('doc_url: each code’s address in the reference, sent in the body', () => {
  it('fills the envelope’s docUrl member with the code’s anchor under x-errata.docsUrl', async () => {
    const dir = tempTree(contract('https://docs.shop.test/errors'));
    const out = path.join(dir, 'generated');
    const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const server = await import(path.join(out, 'server.ts'));
    const missing = server.errors.getOrder({ code: 'NOT_FOUND', meta: { resource: 'order', id: 'ord_1' } });
    expect(missing.body.error.doc_url).toBe('https://docs.shop.test/errors#error-NOT_FOUND');
    const bundled = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'));
    const examples = bundled.components.responses.NotFound.content['application/json'].examples;
    expect(examples.NOT_FOUND.value.error.doc_url).toBe('https://docs.shop.test/errors#error-NOT_FOUND');
  });

  it('without docsUrl, generate and lint refuse it in the same words', async () => {
    const dir = tempTree(contract(undefined));
    const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', path.join(dir, 'generated')]);
    expect(r.code).toBe(1);
    const generate = [...r.stderr.matchAll(/^(\S+?):(\d+):\d+ #\S*\n  error: (.*)\n  fix:   (.*)$/gm)].map((m) => `${path.relative(dir, m[1]!)}:${m[2]} ${m[3]}. Fix: ${m[4]}`);
    expect(generate).toEqual([expect.stringMatching(/^openapi\.yaml:\d+ the envelope default sends each code's documentation address at \/error\/doc_url, but .+ have none\. Fix: set `x-errata\.docsUrl`/)]);
    const lintDir = await configDir('extends: [errata/all]');
    const lint = await run(['lint', path.join(dir, 'openapi.yaml'), '--format', 'json', '--config', path.join(lintDir, 'redocly.yaml')], dir);
    const found = parseJsonReports(lint.stdout)[0]!.problems.filter((p) => p.ruleId.startsWith('errata/')).map((p) => `${p.file}:${p.line} ${p.message}`);
    expect(found).toEqual(generate);
  });
});
