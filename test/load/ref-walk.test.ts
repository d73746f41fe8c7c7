import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module, without declarations
import { dereferenceSimple } from '../../generator/load/dereference.mjs';
import { refInventory } from '../../generator/load/ref-walk.mjs';

// One walk answers two questions about a parsed document's refs: may loading skip swagger-parser's
// bundle (it would change nothing), and may validation dereference it without ref-parser (the simple
// case). Bundling and dereferencing read refs differently; each row is one of the differences.
const schema = (s: object) => ({ type: 'object', properties: s });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const api = (schemas: Record<string, unknown>) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: { '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: ref('A') } } } } } } },
  components: { schemas },
});

/** swagger-parser's bundle of `doc`: what loading would use. */
async function bundled(doc: object): Promise<unknown> {
  return new SwaggerParser().bundle(structuredClone(doc) as never);
}

/** ref-parser's dereference, circular refs left in place: what validation would check. */
async function dereferenced(doc: object): Promise<unknown> {
  return new SwaggerParser().dereference(structuredClone(doc) as never, { dereference: { circular: 'ignore' } } as never);
}

const cases: [string, object, { bundlesAsIs: boolean; simple: boolean }][] = [
  ['plain refs, a cycle, a ref into a node', api({ A: schema({ b: ref('B'), self: ref('A'), n: { type: 'number' } }), B: schema({ c: { $ref: '#/components/schemas/A/properties/n' } }) }), { bundlesAsIs: true, simple: true }],
  // Bundling keeps a ref with siblings as written; dereferencing merges it with them.
  ['a ref beside a description', api({ A: schema({ b: { $ref: '#/components/schemas/B', description: 'the b' } }), B: { type: 'string' } }), { bundlesAsIs: true, simple: false }],
  // $dynamicAnchor may redirect a $dynamicRef when dereferencing; bundling ignores it.
  ['a $dynamicAnchor', api({ A: { $dynamicAnchor: 'node', type: 'object' } }), { bundlesAsIs: true, simple: false }],
  // `#` is the whole document: fine as written, but dereferenced it would put the document inside itself.
  ['a ref to the document', api({ A: schema({ root: { $ref: '#' } }) }), { bundlesAsIs: true, simple: false }],
  // Dereferencing needs an object to put in the ref's place; bundling any existing node.
  ['a ref to an array', api({ A: { type: 'string', enum: ['x'] }, B: schema({ e: { $ref: '#/components/schemas/A/enum' } }) }), { bundlesAsIs: true, simple: false }],
  // `#anchor` and an empty $ref are no refs to ref-parser's dereference; bundling leaves them to ref-parser.
  ['an anchor-like ref', api({ A: { type: 'string' }, B: { $ref: '#anchor', type: 'string' } }), { bundlesAsIs: false, simple: true }],
  ['an empty ref', api({ A: schema({ b: { $ref: '' } }) }), { bundlesAsIs: false, simple: true }],
  ['another file', api({ A: { $ref: './other.yaml' } }), { bundlesAsIs: false, simple: false }],
  ['a ref to a ref', api({ A: ref('B'), B: ref('C'), C: { type: 'string' } }), { bundlesAsIs: false, simple: false }],
  ['a ref through a ref', api({ A: schema({ x: { $ref: '#/components/schemas/B/properties/y' } }), B: ref('C'), C: schema({ y: { type: 'string' } }) }), { bundlesAsIs: false, simple: false }],
  ['a percent-encoded ref', api({ A: { $ref: '#/components/schemas/B%20C' }, 'B C': { type: 'string' } }), { bundlesAsIs: false, simple: false }],
  ['a dangling ref', api({ A: ref('Missing') }), { bundlesAsIs: false, simple: false }],
  ['an $id', api({ A: { $id: 'https://example.com/a', type: 'string' } }), { bundlesAsIs: false, simple: false }],
];

describe('one walk over the refs, for bundling and for dereferencing', () => {
  it.each(cases)('%s', async (_name, doc, expected) => {
    const found = refInventory(structuredClone(doc));
    expect({ bundlesAsIs: found.refs !== undefined, simple: found.targets !== undefined }).toEqual(expected);
    if (expected.bundlesAsIs) {
      // Skipping the bundle is right only where it would return the document as it was.
      expect(await bundled(doc)).toEqual(doc);
      expect([...found.refs!].sort()).toEqual([...new Set(JSON.stringify(doc).match(/"\$ref":"[^"]*"/g)!.map((m) => JSON.parse(`{${m}}`).$ref as string))].sort());
    } else {
      expect(found.refs).toBeUndefined();
    }
    // The simple dereference builds ref-parser's tree, or leaves the document to it untouched.
    const copy = structuredClone(doc);
    expect(dereferenceSimple(copy)).toBe(expected.simple);
    if (expected.simple) expect(JSON.stringify(copy)).toBe(JSON.stringify(await dereferenced(doc)));
    else expect(copy).toEqual(doc);
  });

  it('maps each simple ref to its target object', () => {
    const doc = api({ A: schema({ b: ref('B') }), B: { type: 'string' } });
    const { targets } = refInventory(doc);
    expect(targets?.get('#/components/schemas/B')).toBe(doc.components.schemas.B);
    expect(targets?.get('#/components/schemas/A')).toBe(doc.components.schemas.A);
  });
});
