/**
 * Small descriptions in each error-envelope style errata init recognises. Each is a complete,
 * Redocly-clean OpenAPI document except for the errata contract init is to write.
 */
const head = (version: string) => `openapi: ${version}
# Comment at the top: init must keep it.
info:
  title: Shop
  version: 1.0.0
  description: A shop.
  license: { name: MIT, url: https://opensource.org/licenses/MIT }
servers:
  - url: https://api.example.com
security:
  - bearer: []
tags:
  - name: items
    description: Items.
`;

const op = (status: string, response: string) => `paths:
  /items/{id}:
    get:
      operationId: getItem
      summary: Get an item
      tags: [items]
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } } # the item id
      responses:
        '200':
          description: The item.
          content:
            application/json:
              schema: { type: object, properties: { id: { type: string } } }
        '${status}':
${response}
        '401': { $ref: '#/components/responses/Unauthorized' } # shared, annotated once
`;

const security = `  securitySchemes:
    bearer: { type: http, scheme: bearer }
`;

export const fixtures = {
  /** OpenAPI 3.0, `{ code, message, meta }`, codes in examples, a 429 with Retry-After. */
  flat30: `${head('3.0.3')}${op(
    '404',
    `          description: No item with this id.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
              example: { code: ITEM_NOT_FOUND, message: No such item }`,
  )}        '429':
          description: Slow down.
          headers:
            Retry-After: { schema: { type: integer } }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
              examples:
                limited: { value: { code: RATE_LIMITED, message: Slow down, meta: { limit: 100, remaining: 0 } } }
components:
${security}  responses:
    Unauthorized:
      description: Missing or invalid credentials.
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Error' }
  schemas:
    Error:
      type: object
      required: [code, message]
      properties:
        code: { type: string }    # machine-readable
        message: { type: string }
        meta: { type: object }
        note: { type: string, nullable: true, example: n/a }
`,
  /** `{ error: { code, message }, request_id }`, the response schema pins its codes with `enum`. */
  nested: `${head('3.1.0')}${op(
    '409',
    `          description: The item changed meanwhile.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/ConflictError' }`,
  )}components:
${security}  responses:
    Unauthorized:
      description: Missing or invalid credentials.
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Error' }
          example: { error: { code: TOKEN_EXPIRED, message: Expired }, request_id: r-1 }
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: { type: string }
            message: { type: string }
        request_id: { type: string }
    ConflictError:
      allOf:
        - $ref: '#/components/schemas/Error'
        - properties:
            error:
              properties:
                code: { type: string, enum: [VERSION_CONFLICT, ITEM_LOCKED] }
`,
  /** `{ detail: { code, message } }` written inline in every response (init shares it). */
  detailInline: `${head('3.1.0')}${op(
    '404',
    `          description: No item with this id.
          content:
            application/json:
              schema:
                type: object
                properties:
                  detail: { type: object, properties: { code: { type: string }, message: { type: string } } }
              example: { detail: { code: ITEM_NOT_FOUND, message: No such item } }`,
  )}components:
${security}  responses:
    Unauthorized:
      description: Missing or invalid credentials.
      content:
        application/json:
          schema:
            type: object
            properties:
              detail: { type: object, properties: { code: { type: string }, message: { type: string } } }
`,
  /** RFC 9457 problem details with a `code` extension member. */
  problem: `${head('3.1.0')}${op(
    '422',
    `          description: The item is invalid.
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
              examples:
                name: { value: { type: 'https://example.com/p/invalid', title: Invalid, status: 422, detail: name is empty, code: NAME_EMPTY } }
                price: { value: { type: 'https://example.com/p/invalid', title: Invalid, status: 422, detail: price < 0, code: PRICE_NEGATIVE } }`,
  )}components:
${security}  responses:
    Unauthorized:
      description: Missing or invalid credentials.
      content:
        application/problem+json:
          schema: { $ref: '#/components/schemas/Problem' }
  schemas:
    Problem:
      type: object
      properties:
        type: { type: string, format: uri }
        title: { type: string }
        status: { type: integer }
        detail: { type: string }
        code: { type: string, description: errata-style extension member }
`,
  /** Google (AIP-193): `{ error: { code: <http status>, message, status: <canonical code>, details[] } }`. */
  google: `${head('3.1.0')}${op(
    '404',
    `          description: Not found.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Status' }
              example: { error: { code: 404, message: Item not found, status: NOT_FOUND, details: [] } }`,
  )}components:
${security}  responses:
    Unauthorized:
      description: Missing or invalid credentials.
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Status' }
          example: { error: { code: 401, message: No credentials, status: UNAUTHENTICATED, details: [] } }
  schemas:
    Status:
      type: object
      properties:
        error:
          type: object
          properties:
            code: { type: integer }
            message: { type: string }
            status: { type: string }
            details: { type: array, items: { type: object } }
`,
  /** GitHub's `basic-error`: nothing identifies a code. */
  noCode: `${head('3.1.0')}${op(
    '404',
    `          description: Resource not found.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/basic-error' }`,
  )}components:
${security}  responses:
    Unauthorized:
      description: Requires authentication.
      content:
        application/json:
          schema: { $ref: '#/components/schemas/basic-error' }
  schemas:
    basic-error:
      type: object
      properties:
        message: { type: string }
        documentation_url: { type: string }
        status: { type: string }
`,
};
