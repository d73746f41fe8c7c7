import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';

/** Issue 13, item 6: RFC 9457 contracts give each code its problem `type` URI. */
const FIXTURE = path.join(ROOT, 'test/fixtures/problem-json');

describe('problem types', () => {
  it('sends the code’s `type`, else its anchor in the published reference, and the examples show the same', async () => {
    const dir = tempTree({
      'openapi.yaml': readFileSync(path.join(FIXTURE, 'openapi.yaml'), 'utf8').replace("  catalog: { $ref: './errors.yaml#/catalog' }", "  catalog: { $ref: './errors.yaml#/catalog' }\n  docsUrl: https://docs.ship.test/errors"),
      'errors.yaml': readFileSync(path.join(FIXTURE, 'errors.yaml'), 'utf8').replace('    UNAUTHORIZED:\n', '    UNAUTHORIZED:\n      type: https://ship.test/problems/unauthorized\n'),
    });
    const out = path.join(dir, 'generated');
    const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const server = await import(path.join(out, 'server.ts'));
    const unauthorized = server.errors.createShipment({ code: 'UNAUTHORIZED' });
    expect(unauthorized.body.type).toBe('https://ship.test/problems/unauthorized');
    const invalid = server.errors.createShipment({ code: 'INVALID_ADDRESS', status: 422, meta: { field: 'postalCode' } });
    expect(invalid.body.type).toBe('https://docs.ship.test/errors#error-INVALID_ADDRESS');
    const bundled = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'));
    expect(bundled.components.responses.Unauthorized.content['application/problem+json'].examples.UNAUTHORIZED.value.type).toBe('https://ship.test/problems/unauthorized');
    const catalog = JSON.parse(readFileSync(path.join(out, 'catalog.json'), 'utf8'));
    expect(catalog.codes.INVALID_ADDRESS.type).toBe('https://docs.ship.test/errors#error-INVALID_ADDRESS');
  });
});
