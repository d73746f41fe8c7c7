import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module, without declarations
import { dereferenceSimple } from '../../generator/load/dereference.mjs';

const simple = dereferenceSimple as (root: unknown) => boolean | undefined;

/** ref-parser's own dereference, as the validation used it before (circular refs left in place). */
async function refParser(doc: object): Promise<unknown> {
  return new SwaggerParser().dereference(structuredClone(doc) as never, { dereference: { circular: 'ignore' } } as never);
}

const schema = (s: object) => ({ type: 'object', properties: s });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const api = (schemas: Record<string, unknown>, paths: Record<string, unknown> = {}) => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths, components: { schemas } });
const get = (s: object) => ({ get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: s } } } } } });

// The OAS check reads the dereferenced tree: where a ref stays a ref and where it becomes its
// target decides what is checked and at which pointer an error is reported.
describe('the dereference of a one-document contract', () => {
  const cases: [string, object][] = [
    ['no refs', api({ A: schema({ a: { type: 'string' } }) })],
    ['shared components, arrays, a chain', api({ A: schema({ b: ref('B'), list: { type: 'array', items: ref('C') } }), B: { allOf: [ref('C'), { type: 'object' }] }, C: { type: 'string', enum: ['x', 'y'] } }, { '/a': get(ref('A')), '/c': get({ oneOf: [ref('C'), ref('B')] }) })],
    ['a schema that refers to itself', api({ N: schema({ next: ref('N'), value: { type: 'integer' } }) }, { '/n': get(ref('N')) })],
    ['a cycle of two, reached from outside it, and a schema that reaches it', api({ A: schema({ b: ref('B') }), B: schema({ a: ref('A') }), C: schema({ a: ref('A'), s: ref('S') }), S: { type: 'string' } }, { '/c': get(ref('C')), '/b': get(ref('B')), '/s': get(ref('S')) })],
    ['a ref to an ancestor, and into a node', api({ T: schema({ kids: { type: 'array', items: { $ref: '#/components/schemas/T' } }, p: { $ref: '#/components/schemas/U/properties/q' } }), U: schema({ q: { type: 'number' } }) }, { '/t': get({ $ref: '#/components/schemas/T/properties/kids' }) })],
    ['escaped tokens and a property named $ref', api({ 'a~b': schema({ '$ref': { type: 'string' } }), 'c/d': schema({ e: { $ref: '#/components/schemas/a~0b' } }) }, { '/x~y': get({ $ref: '#/components/schemas/c~1d' }) })],
    ['an anchor-like $ref and an empty one, which are no refs', api({ A: { $ref: '#anchor', type: 'string' }, B: { $ref: '' } }, { '/a': get(schema({ b: ref('B') })) })],
  ];
  it.each(cases)('%s: the tree ref-parser builds', async (_name, doc) => {
    const expected = await refParser(doc);
    const got = structuredClone(doc);
    expect(simple(got)).toBe(true);
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
  });

  it("GitHub's REST description (1,100 operations, 11,600 refs, circular schemas): the tree ref-parser builds", async () => {
    const text = readFileSync(createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8');
    const expected = JSON.stringify(await refParser(JSON.parse(text) as object));
    const got = JSON.parse(text) as object;
    expect(simple(got)).toBe(true);
    expect(JSON.stringify(got)).toBe(expected);
  }, 120_000);

  it('leaves to ref-parser, untouched, what is not one document of plain internal refs', () => {
    for (const doc of [
      api({ A: { $ref: './other.yaml' } }),
      api({ A: { $ref: '#/components/schemas/B', description: 'extended' }, B: { type: 'string' } }),
      api({ A: { $ref: '#/components/schemas/Missing' } }),
      api({ A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/C' }, C: { type: 'string' } }),
      api({ A: { $ref: '#/components/schemas/B%20' } }),
      api({ A: { $ref: '#' } }),
      api({ A: { $id: 'https://example.com/a', type: 'string' } }),
    ]) {
      const copy = structuredClone(doc);
      expect(simple(copy)).toBe(false);
      expect(copy).toEqual(doc);
    }
  });

  it("gives up where ref-parser's depth limit could stop it", async () => {
    let deep: object = { type: 'string' };
    for (let i = 0; i < 260; i++) deep = { type: 'object', properties: { d: deep } };
    const doc = api({ D: deep }, { '/d': get(ref('D')) });
    expect(simple(structuredClone(doc))).toBeUndefined();
    await expect(refParser(doc)).rejects.toThrow(/Maximum dereference depth/);
  });
});
