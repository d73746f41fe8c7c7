import { describe, expect, it } from 'vitest';
import { encode, readAt, readCodeWith, writeAt, type Codec } from '../../runtime/codec';
import { errataInProcess, tempTree } from '../helpers/cli';

/** runtime/codec.ts, the one place both runtimes read and write envelope parts (issue 13, item 1). */
const INFO = { where: '@type', is: 'type.googleapis.com/google.rpc.ErrorInfo' };

describe('paths with array steps', () => {
  it('a match finds its element anywhere in the list; an index its position; a miss is undefined', () => {
    const details = [{ '@type': 'type.googleapis.com/google.rpc.Help', links: [] }, { '@type': INFO.is, reason: 'SHELF_FULL' }];
    const body = { error: { details } };
    expect(readAt(body, ['error', 'details', INFO, 'reason'])).toBe('SHELF_FULL');
    expect(readAt(body, ['error', 'details', 0, '@type'])).toBe('type.googleapis.com/google.rpc.Help');
    expect(readAt(body, ['error', 'details', 2, 'reason'])).toBeUndefined();
    expect(readAt({ error: { details: { '0': { reason: 'X' } } } }, ['error', 'details', 0, 'reason'])).toBeUndefined();
    expect(readAt({ error: { details: [{ '@type': 'other', reason: 'X' }] } }, ['error', 'details', INFO, 'reason'])).toBeUndefined();
    // Only own members: an inherited `constructor` is not a member of the body.
    expect(readAt({}, ['constructor'])).toBeUndefined();
  });

  it('writing creates the element a match names, keeps members in place, and never reaches a prototype', () => {
    const body: Record<string, unknown> = { error: { code: null, details: [] } };
    writeAt(body, ['error', 'details', INFO, 'reason'], 'R');
    writeAt(body, ['error', 'code'], 400);
    expect(JSON.stringify(body)).toBe('{"error":{"code":400,"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"}]}}');
    const hostile: Record<string, unknown> = {};
    writeAt(hostile, ['__proto__', 'polluted'], true);
    writeAt(hostile, ['list', { where: '__proto__', is: 'x' }, 'y'], 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(hostile))).toEqual({ ['__proto__']: { polluted: true }, list: [{ ['__proto__']: 'x', y: 1 }] });
  });

  it('a fixed-code codec reads its code from the shape of the body, and encode keeps the schema order', () => {
    const codec: Codec = { name: 'validation', mediaType: 'application/json', fixedCode: 'VALIDATION_FAILED', message: ['detail', 0, 'msg'], meta: ['detail', 0], base: { detail: [{ loc: null, msg: null, type: null }] } };
    const body = encode(codec, { code: 'VALIDATION_FAILED', status: 422, title: 'Unprocessable Content', message: 'Field required', meta: { loc: ['body', 'title'], type: 'missing' } });
    expect(JSON.stringify(body)).toBe('{"detail":[{"loc":["body","title"],"msg":"Field required","type":"missing"}]}');
    expect(readCodeWith(codec, body)).toBe('VALIDATION_FAILED');
    expect(readCodeWith(codec, { detail: { code: 'X', message: 'm' } })).toBeUndefined();
    expect(readCodeWith(codec, { detail: 'Not Found' })).toBeUndefined();
  });
});

describe('pointer tokens that reach a prototype are refused in the contract', () => {
  it('a match on __proto__ fails generate with the pointer and the fix', async () => {
    const dir = tempTree({
      'openapi.yaml': `openapi: 3.1.0
info: { title: T, version: 1.0.0 }
x-errata:
  envelope:
    schema: { $ref: '#/components/schemas/Error' }
    code: /details/[__proto__=x]/reason
    message: /message
  catalog: { codes: { NOT_FOUND: { status: 404, category: c, description: d, fix: f } }, categories: [{ id: c, title: C }] }
paths:
  /a:
    get:
      responses:
        '200': { description: ok }
        '404': { description: no, x-errata-codes: [NOT_FOUND] }
components:
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message: { type: string }
        details: { type: array, items: { type: object, properties: { __proto__: { type: string }, reason: { type: string } } } }
`,
    });
    const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'out'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('the pointer /details/[__proto__=x]/reason goes through "[__proto__=x]", which JavaScript reads as an object\'s prototype');
  });
});
