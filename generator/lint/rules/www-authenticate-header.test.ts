import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_COMPONENTS, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';

const with401 = (headers: string) =>
  contract({
    paths: DEFAULT_PATHS.replace("        '429':", "        '401': { $ref: '#/components/responses/Unauthorized' }\n        '429':"),
    components: DEFAULT_COMPONENTS.replace(
      '    Internal:',
      `    Unauthorized:\n      description: No credentials.\n      headers:\n        x-request-id: { $ref: '#/components/headers/RequestId' }\n${headers}      x-errata-codes: [NOT_AUTHENTICATED]\n    Internal:`,
    ),
  }).replace("      INTERNAL:", "      NOT_AUTHENTICATED: { status: 401, description: No credentials., fix: Sign in. }\n      INTERNAL:");

describe('errata/www-authenticate-header', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('www-authenticate-header', {
      clean: contract(),
      declared: with401("        WWW-Authenticate: { schema: { type: string } }\n"),
      lowerCase: with401("        www-authenticate: { schema: { type: string } }\n"),
      missing: with401(''),
    });
  });

  it('passes 401s that declare WWW-Authenticate, in any letter case, and contracts without 401s', () => {
    expect(found.clean).toEqual([]);
    expect(found.declared).toEqual([]);
    expect(found.lowerCase).toEqual([]);
  });

  it('reports a shared 401 without the challenge once, at the component', () => {
    expect(found.missing).toMatchObject([
      {
        pointer: '#/components/responses/Unauthorized',
        message: expect.stringMatching(/^this response is used as a 401 \(getThing 401\) but does not declare a `WWW-Authenticate` header, which RFC 9110 §15\.5\.2 requires on every 401\. Fix: add `headers: \{ WWW-Authenticate:/),
      },
    ]);
  });
});
