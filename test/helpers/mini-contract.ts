/**
 * A small but complete contract in the Picora style, as separate files, for tests that need to
 * break one thing at a time.
 */
export function miniContract(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'openapi.yaml': `openapi: 3.1.0
info: { title: Mini, version: 1.0.0 }
x-errata:
  envelope:
    schema: { $ref: '#/components/schemas/Error' }
    code: /code
    message: /error
    meta: /meta
    requestId: { header: x-request-id }
  catalog: { $ref: ./catalog.yaml }
paths:
  /things/{id}:
    $ref: ./paths/thing.yaml
components:
  securitySchemes:
    key: { type: http, scheme: bearer }
  responses:
    TooLarge: { $ref: ./responses/TooLarge.yaml }
  schemas:
    Error: { $ref: ./schemas/Error.yaml }
`,
    'schemas/Error.yaml': `type: object
required: [success, error, code]
properties:
  success: { const: false }
  error: { type: string }
  code: { type: string }
  meta: { type: object, additionalProperties: true }
`,
    'responses/TooLarge.yaml': `description: Too large
x-errata-codes: [FILE_TOO_LARGE]
`,
    'paths/thing.yaml': `get:
  operationId: getThing
  security: [{ key: [] }]
  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
  responses:
    '200': { description: ok, content: { application/json: { schema: { type: object } } } }
    '404':
      description: Not found
      x-errata-codes: [NOT_FOUND]
    '413': { $ref: ../responses/TooLarge.yaml }
    '422': { $ref: ../responses/TooLarge.yaml }
`,
    'catalog.yaml': `categories:
  - { id: resource, title: Resource errors }
codes:
  NOT_FOUND:
    status: 404
    category: resource
    description: Resource does not exist.
    fix: Verify the id.
    meta:
      type: object
      required: [entity]
      properties: { entity: { type: string } }
  FILE_TOO_LARGE:
    status: [413, 422]
    category: resource
    description: File exceeds the limit.
    fix: Compress it.
`,
    ...overrides,
  };
}
