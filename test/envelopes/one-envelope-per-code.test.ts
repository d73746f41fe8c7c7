import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bothWays, editedCopy, lint } from './end-to-end';

/**
 * Issue 13, item 1: a client tells codes apart by the body's shape, so a code is sent in one
 * envelope everywhere; generate and lint refuse a code listed under two in the same words.
 */
describe('one envelope per code', () => {
  it('a code under responses of two envelopes: generate and lint say the same', async () => {
    const dir = editedCopy('nested-error', 'openapi.yaml', (t) => {
      const withAlt = t.replace("  catalog: { $ref: './errors.yaml#/catalog' }\n", "  envelopes:\n    alt:\n      schema: { $ref: '#/components/schemas/Error' }\n      code: /error/code\n      message: /error/message\n      requestId: { body: /request_id }\n  catalog: { $ref: './errors.yaml#/catalog' }\n");
      const edited = withAlt.replace('    Invalid:\n      description: A field failed validation.\n', '    Invalid:\n      description: A field failed validation.\n      x-errata-envelope: alt\n');
      expect(edited).not.toBe(withAlt);
      return edited;
    });
    const r = await bothWays(dir, await lint([path.join(dir, 'openapi.yaml')], 'extends: [errata/all]'));
    expect(r.code).not.toBe(0);
    expect(r.generate).toEqual([
      expect.stringMatching(/^openapi\.yaml:\d+ INVALID_ARGUMENT is sent in the envelope (alt|default) here but in (alt|default) at \/components\/responses\/(BadRequest|Invalid); a client tells codes apart by the body's shape, so each code has one envelope\. Fix: send INVALID_ARGUMENT in one envelope everywhere, or give the other body its own code$/),
    ]);
    expect(r.lint).toEqual(r.generate);
  });
});
