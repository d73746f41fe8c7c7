import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runtimeCopy, typecheck } from './helpers/cli';
import { generated } from './helpers/generate';
import { miniContract } from './helpers/mini-contract';
import { patch } from './helpers/patch';

let dir: string;
beforeAll(async () => {
  const mini = miniContract();
  const out = await generated({
    files: miniContract({
      'openapi.yaml': patch(mini['openapi.yaml']!, '    Error: { $ref: ./schemas/Error.yaml }\n', '    Error: { $ref: ./schemas/Error.yaml }\n    Tree: { $ref: ./schemas/Tree.yaml }\n'),
      'schemas/Tree.yaml': 'type: object\nproperties:\n  name: { type: string }\n  children: { type: array, items: { $ref: ./Tree.yaml } }\n',
      'catalog.yaml': patch(mini['catalog.yaml']!, 'properties: { entity: { type: string } }', 'properties: { entity: { type: string }, near: { $ref: ./schemas/Tree.yaml } }'),
    }),
  });
  dir = path.dirname(out);
});

it('survives circular schemas, keeping them as named $refs', () => {
  const bundled = JSON.parse(readFileSync(path.join(dir, 'generated/openapi.json'), 'utf8'));
  expect(bundled.components.schemas.Tree.properties.children.items).toEqual({ $ref: '#/components/schemas/Tree' });
  expect(bundled.components.schemas.NotFoundError.properties.meta.properties.near).toEqual({ $ref: '#/components/schemas/Tree' });
  const files = readdirSync(path.join(dir, 'generated')).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, 'generated', f));
  expect(typecheck(files, undefined, { except: [runtimeCopy(path.join(dir, 'generated'))] }).output).toBe('');
});
