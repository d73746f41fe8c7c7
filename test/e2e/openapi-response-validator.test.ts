/**
 * The response validator the end-to-end test relies on must reject what the contract does not
 * allow, or the e2e test would pass whatever the server does. Each case is a response the Picora
 * contract forbids, next to the same response made valid.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OpenApiResponseValidator, UNROUTED } from './openapi-response-validator';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const validator = new OpenApiResponseValidator(path.join(ROOT, 'generated/openapi.json'));
const BASE = 'http://127.0.0.1:1';

function response(status: number, headers: Record<string, string>, body: unknown) {
  return { status, headers: new Headers(headers), text: typeof body === 'string' ? body : JSON.stringify(body) };
}
const JSON_ID = { 'content-type': 'application/json', 'x-request-id': 'req_0123456789abcdef' };
const notFound = { success: false, error: 'No such image.', code: 'NOT_FOUND', meta: { entity: 'Image' } };

describe('the independent OpenAPI response validator', () => {
  it('accepts a response the contract allows and names its operation', async () => {
    const v = await validator.check('GET', `${BASE}/v1/images/img_1`, response(404, JSON_ID, notFound));
    expect(v).toMatchObject({ operationId: 'getImage', responseKey: '404', errors: [] });
  });

  it.each([
    ['an undeclared status', 409, JSON_ID, notFound, /status 409 is not declared/],
    ['a missing required header', 404, { 'content-type': 'application/json' }, notFound, /required header x-request-id/],
    ['an undeclared media type', 404, { ...JSON_ID, 'content-type': 'text/html' }, notFound, /content type text\/html/],
    ['a body that is not JSON', 404, JSON_ID, '<html>', /not JSON/],
    ['a code the response does not list', 404, JSON_ID, { ...notFound, code: 'FORBIDDEN' }, /body:/],
    ['meta outside the enum', 404, JSON_ID, { ...notFound, meta: { entity: 'Route' } }, /meta\/entity/],
    // NOT_FOUND's meta is optional (an unknown route has no entity); RATE_LIMITED's is required.
    ['a required meta missing', 429, { ...JSON_ID, 'retry-after': '30' }, { success: false, error: 'x', code: 'RATE_LIMITED' }, /body:/],
  ])('rejects %s', async (_name, status, headers, body, error) => {
    const v = await validator.check('GET', `${BASE}/v1/images/img_1`, response(status, headers, body));
    expect(v.errors.join('\n')).toMatch(error);
  });

  it('checks header values against their schemas (Retry-After is an integer ≥ 1)', async () => {
    const limited = { success: false, error: 'Slow down.', code: 'RATE_LIMITED', meta: { limit: 1, remaining: 0 } };
    const ok = await validator.check('GET', `${BASE}/v1/images`, response(429, { ...JSON_ID, 'retry-after': '30' }, limited));
    expect(ok.errors).toEqual([]);
    for (const bad of ['0', 'soon']) {
      const v = await validator.check('GET', `${BASE}/v1/images`, response(429, { ...JSON_ID, 'retry-after': bad }, limited));
      expect(v.errors.join('\n')).toMatch(/header Retry-After/);
    }
    const missing = await validator.check('GET', `${BASE}/v1/images`, response(429, JSON_ID, limited));
    expect(missing.errors.join('\n')).toMatch(/required header Retry-After/);
  });

  it('asserts formats (JSON Schema 2020-12 format-assertion) in success bodies', async () => {
    const image = { id: 'img_1', url: 'https://cdn.picora.me/a.png', mimeType: 'image/png', sizeBytes: 1, width: 1, height: 1, createdAt: '2026-01-01T00:00:00Z' };
    const good = await validator.check('GET', `${BASE}/v1/images/img_1`, response(200, JSON_ID, { success: true, data: image }));
    expect(good.errors).toEqual([]);
    const bad = await validator.check('GET', `${BASE}/v1/images/img_1`, response(200, JSON_ID, { success: true, data: { ...image, createdAt: 'yesterday' } }));
    expect(bad.errors.join('\n')).toMatch(/createdAt/);
  });

  it('needs WWW-Authenticate where the MCP responses declare it', async () => {
    const body = { success: false, error: 'x', code: 'UNAUTHORIZED' };
    const v = await validator.check('POST', `${BASE}/mcp`, response(401, JSON_ID, body));
    expect(v.errors.join('\n')).toMatch(/required header WWW-Authenticate/);
    const ok = await validator.check('POST', `${BASE}/mcp`, response(401, { ...JSON_ID, 'www-authenticate': 'Bearer' }, body));
    expect(ok.errors).toEqual([]);
  });

  it('checks a request no operation matches against x-errata.unrouted', async () => {
    const routeless = { success: false, error: 'No such route.', code: 'NOT_FOUND' };
    const ok = await validator.check('GET', `${BASE}/v2/nothing`, response(404, JSON_ID, routeless));
    expect(ok).toMatchObject({ operationId: UNROUTED, responseKey: '404', errors: [] });
    const wrongCode = await validator.check('GET', `${BASE}/v2/nothing`, response(404, JSON_ID, { ...routeless, code: 'FORBIDDEN' }));
    expect(wrongCode.errors.join('\n')).toMatch(/body:/);
    const undeclared = await validator.check('GET', `${BASE}/v2/nothing`, response(418, JSON_ID, routeless));
    expect(undeclared.operationId).toBeUndefined();
    expect(undeclared.errors).toEqual(['no operation for GET /v2/nothing, and no unrouted response for status 418']);
  });
});
