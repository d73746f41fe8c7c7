import { beforeAll, describe, expect, it } from 'vitest';
import { contract, DEFAULT_PATHS, lintCases, type Found } from '../../../test/lint/redocly';
import { patch } from '../../../test/helpers/patch';

const twoOps = (response: string) => `  /a:
    get:
      operationId: getA
      responses:
        '200': { description: OK, headers: { x-request-id: { $ref: '#/components/headers/RequestId' } } }
        '401': { $ref: '#/components/responses/Unauthorized' }
  /b:
    get:
      operationId: getB
      responses:
        '200': { description: OK, headers: { x-request-id: { $ref: '#/components/headers/RequestId' } } }
        '401': { $ref: '#/components/responses/Unauthorized' }
        '403': { $ref: '#/components/responses/Unauthorized' }
components:
  headers:
    RequestId: { description: Request id., schema: { type: string } }
  responses:
    Unauthorized:
${response}`;

describe('errata/operation-error-codes', () => {
  let found: Record<string, Found[]>;
  beforeAll(async () => {
    found = await lintCases('operation-error-codes', {
      clean: contract(),
      missing: contract({ paths: patch(DEFAULT_PATHS, "          x-errata-codes: [NOT_FOUND]\n", '') }),
      empty: contract({ paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: []') }),
      mapping: contract({ paths: patch(DEFAULT_PATHS, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: { NOT_FOUND: true }') }),
      noErrors: contract({ paths: patch(DEFAULT_PATHS, /\n        '404':[\s\S]*$/, '') }),
      defaultOnly: contract({ paths: patch(DEFAULT_PATHS, /        '404':[\s\S]*$/, '        default: { description: Any error., x-errata-codes: [INTERNAL] }') }),
      shared: patch(contract({ paths: twoOps("      description: Not signed in.\n"), components: '  schemas: {}' }), '\ncomponents:\n  schemas: {}', ''),
      external: contract({ paths: "  /things/{id}:\n    $ref: ./paths/thing.yaml" }),
      webhooksAndCallbacks: patch(
        patch(contract(), '      responses:\n', "      callbacks:\n        done:\n          '{$request.body#/url}':\n            post:\n              responses:\n                '500': { description: The receiver failed. }\n      responses:\n"),
        'paths:\n',
        "webhooks:\n  thingCreated:\n    post:\n      responses:\n        '200': { description: Received. }\n        '410': { description: Unsubscribed. }\npaths:\n",
      ),
    }, {
      extraFiles: {
        'paths/thing.yaml': `get:
  operationId: getThing
  responses:
    '200': { description: OK }
    '404': { $ref: ../responses/NotFound.yaml }
`,
        'responses/NotFound.yaml': 'description: No such thing.\n',
      },
    });
  });

  it('passes a contract whose error responses all declare codes', () => {
    expect(found.clean).toEqual([]);
    expect(found.defaultOnly).toEqual([]);
  });

  it('reports an error response without x-errata-codes on its status key, saying how to fix it', () => {
    expect(found.missing).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/404', message: expect.stringMatching(/404 response of getThing does not declare its error codes\. Fix: .*x-errata-codes: \[SOME_CODE\]/) }]);
    expect(found.missing![0]!.line).toBe(23);
  });

  it('reports an empty or malformed list at x-errata-codes', () => {
    expect(found.empty).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/404/x-errata-codes', message: expect.stringContaining('must be a non-empty list') }]);
    expect(found.mapping).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses/404/x-errata-codes', message: expect.stringContaining('a list, not a mapping') }]);
  });

  it('reports an operation that declares no error response at all', () => {
    expect(found.noErrors).toMatchObject([{ pointer: '#/paths/~1things~1{id}/get/responses', message: expect.stringContaining('getThing declares no error responses') }]);
  });

  it('reports a shared response once, at the component, however many operations and statuses use it', () => {
    expect(found.shared).toHaveLength(1);
    expect(found.shared![0]).toMatchObject({ pointer: '#/components/responses/Unauthorized', file: 'shared.yaml' });
  });

  it("leaves webhooks and callbacks alone: their responses come from the client's server, not the API", () => {
    expect(found.webhooksAndCallbacks).toEqual([]);
  });

  it('points into the file where a $ref-ed response is authored', () => {
    expect(found.external).toMatchObject([{ file: 'responses/NotFound.yaml', pointer: '#/', line: 1, col: 1 }]);
  });
});
