import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errataInProcess, tempTree } from '../../../test/helpers/cli';
import { contract, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';

const noInternal = contract({ paths: DEFAULT_PATHS.replace("        '500': { $ref: '#/components/responses/Internal' }", '') });
const twoFiveHundreds = contract({ errata: `${DEFAULT_ERRATA}\n      PAYMENT_DOWN: { status: [500, 502], description: Provider down., fix: Retry. }` });
const onlyBadGateway = contract({ errata: DEFAULT_ERRATA.replace('status: [500, 503]', 'status: [502, 503]'), paths: DEFAULT_PATHS.replace("'500':", "'502':") });
const named = (code: string) => contract({ errata: DEFAULT_ERRATA.replace('  catalog:', `  internal: ${code}\n  catalog:`) });

describe('errata/internal-error-code', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('internal-error-code', {
      clean: contract(),
      namedClean: named('INTERNAL'),
      noInternal,
      twoFiveHundreds,
      onlyBadGateway,
      namedOnBadGateway: contract({ errata: DEFAULT_ERRATA.replace('status: [500, 503]', 'status: [502, 503]').replace('  catalog:', '  internal: INTERNAL\n  catalog:'), paths: DEFAULT_PATHS.replace("'500':", "'502':") }),
      typo: named('INTERNL'),
      notServer: named('NOT_FOUND'),
    });
  });

  it('passes the only 500 code, or the named one, when every operation declares it', () => {
    expect(found.clean).toEqual([]);
    expect(found.namedClean).toEqual([]);
    expect(found.namedOnBadGateway).toEqual([]);
  });

  it('reports an operation that cannot return the internal error', () => {
    expect(found.noInternal).toMatchObject([
      {
        pointer: '#/paths/~1things~1{id}/get/responses',
        message: expect.stringContaining('getThing cannot return INTERNAL with status 500, the internal error (what an unexpected exception becomes). Fix: add a 500 response listing it'),
      },
    ]);
  });

  it('never guesses: several 500 codes must be named, and a 5xx that is not a 500 is never taken by position', () => {
    expect(found.twoFiveHundreds).toMatchObject([{ pointer: '#/x-errata', message: expect.stringContaining('several codes with status 500 (INTERNAL, PAYMENT_DOWN)') }]);
    expect(found.onlyBadGateway).toEqual([]);
  });

  it('reports a named code that is not in the catalog (with a suggestion) or has no 5xx status', () => {
    expect(found.typo).toMatchObject([{ pointer: '#/x-errata/internal', message: expect.stringContaining('"INTERNL" is not in the catalog. Fix: did you mean INTERNAL?') }]);
    expect(found.notServer).toMatchObject([{ pointer: '#/x-errata/internal', message: expect.stringContaining('NOT_FOUND has no 5xx status (only 404)') }]);
  });

  it('errata generate refuses the same contracts with the same words', async () => {
    for (const [name, text] of Object.entries({ noInternal, twoFiveHundreds })) {
      const dir = tempTree({ 'openapi.yaml': text });
      const r = await errataInProcess(['generate', '--spec', path.join(dir, 'openapi.yaml'), '--out', path.join(dir, 'out')]);
      expect(r.code, name).toBe(1);
      const [message, fix] = found[name]![0]!.message.split('. Fix: ');
      expect(r.stderr).toContain(`error: ${message}\n  fix:   ${fix}`);
    }
  });
});
