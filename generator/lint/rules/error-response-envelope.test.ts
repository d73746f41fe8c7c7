import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_ERRATA, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

const withContent = (content: string) => patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', `x-errata-codes: [NOT_FOUND]\n          content:\n${content}`);

describe('errata/error-response-envelope', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases(
      'error-response-envelope',
      {
        noContent: contract(),
        localRef: contract({ paths: withContent("            application/json: { schema: { $ref: '#/components/schemas/Error' } }") }),
        crossFile: patch(contract({ paths: "  /things/{id}: { $ref: ./paths/thing.yaml }" }), /    Error:\n[\s\S]*$/, '    Error: { $ref: ./schemas/Error.yaml }\n'),
        inline: contract({ paths: withContent('            application/json: { schema: { type: object, properties: { oops: { type: string } } } }') }),
        otherSchema: patch(contract({ paths: withContent("            application/json: { schema: { $ref: '#/components/schemas/Other' } }") }), '  schemas:\n', '  schemas:\n    Other: { type: object }\n'),
        wrongMediaType: contract({ paths: withContent("            text/plain: { schema: { $ref: '#/components/schemas/Error' } }") }),
        badEnvelope: contract({ errata: patch(DEFAULT_ERRATA, 'code: /code', 'code: /error_code') }),
        noConventions: contract({ errata: '' }),
      },
      {
        extraFiles: {
          'paths/thing.yaml': `get:
  operationId: getThing
  responses:
    '404':
      description: Missing.
      x-errata-codes: [NOT_FOUND]
      content:
        application/json:
          schema: { $ref: ../schemas/Error.yaml }
    '409':
      description: Conflict.
      x-errata-codes: [NOT_FOUND]
      content:
        application/json:
          schema: { $ref: ../schemas/Other.yaml }
`,
          'schemas/Error.yaml': 'type: object\nrequired: [code, message]\nproperties:\n  code: { type: string }\n  message: { type: string }\n',
          'schemas/Other.yaml': 'type: object\n',
        },
      },
    );
  });

  it('passes error responses without content (bundling writes it) or with a $ref to the envelope', () => {
    expect(found.noContent).toEqual([]);
    expect(found.localRef).toEqual([]);
  });

  it('follows $refs across files and reports one that ends elsewhere, in the authored file', () => {
    expect(found.crossFile).toMatchObject([{ file: 'paths/thing.yaml', pointer: '#/get/responses/409/content/application~1json/schema/$ref', line: 15, message: expect.stringContaining('uses ../schemas/Other.yaml as its error body, which is not the envelope Error') }]);
  });

  it('reports inline bodies, other schemas and other media types', () => {
    expect(found.inline).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/404/content/application~1json/schema', message: expect.stringContaining('inline') }]);
    expect(found.otherSchema).toMatchObject([{ message: expect.stringContaining("Fix: point it at the envelope: `schema: { $ref: '#/components/schemas/Error' }`") }]);
    expect(found.wrongMediaType).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/404/content/text~1plain', message: expect.stringContaining('answers text/plain, but error bodies are application/json') }]);
  });

  it('reports a broken envelope at x-errata.envelope, and a missing one once at the root', () => {
    expect(found.badEnvelope).toMatchObject([{ pointer: '#/x-errata/envelope/code', message: expect.stringContaining('has no property at /error_code') }]);
    expect(found.noConventions).toMatchObject([{ pointer: '#/', message: expect.stringContaining('no error envelope') }]);
  });
});
