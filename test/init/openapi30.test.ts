import { describe, expect, it } from 'vitest';
import { convertOpenApi30 } from '../../generator/load/openapi30';

describe('OpenAPI 3.0 → 3.1 at load', () => {
  it('converts schemas the way the migration guide does, and nothing outside them', () => {
    const doc: Record<string, any> = {
      openapi: '3.0.3',
      paths: {
        '/upload': {
          post: {
            parameters: [{ name: 'n', in: 'query', example: 3, schema: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false } }],
            requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, data: { type: 'string', format: 'byte' } } } } } },
            responses: { '200': { description: 'ok', content: { 'application/json': { example: { nullable: true }, schema: { $ref: '#/components/schemas/Pet' } } } } },
          },
        },
      },
      components: {
        schemas: {
          Pet: {
            type: 'object',
            properties: {
              tag: { type: 'string', nullable: true, enum: ['a', 'b'], example: 'a' },
              owner: { $ref: '#/components/schemas/Owner', nullable: true, description: 'who' },
              kind: { allOf: [{ $ref: '#/components/schemas/Owner' }], nullable: false },
            },
            'x-extension': { nullable: true },
          },
          Owner: { type: 'object' },
        },
      },
    };
    const counts = convertOpenApi30(doc);
    expect(doc.openapi).toBe('3.1.0');
    const pet = doc.components.schemas.Pet;
    expect(pet.properties.tag).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null], examples: ['a'] });
    expect(pet.properties.owner).toEqual({ description: 'who', anyOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'null' }] });
    expect(pet.properties.kind).toEqual({ allOf: [{ $ref: '#/components/schemas/Owner' }] });
    expect(pet['x-extension']).toEqual({ nullable: true });
    const post = doc.paths['/upload'].post;
    expect(post.parameters[0]).toMatchObject({ example: 3, schema: { type: 'integer', exclusiveMinimum: 0, maximum: 9 } });
    expect(post.requestBody.content['multipart/form-data'].schema.properties).toEqual({
      file: { type: 'string', contentMediaType: 'application/octet-stream' },
      data: { type: 'string', contentEncoding: 'base64' },
    });
    expect(post.responses['200'].content['application/json'].example).toEqual({ nullable: true });
    expect(counts).toEqual({ nullable: 2, example: 1, exclusiveBound: 2, binary: 1, base64: 1 });
  });
});
