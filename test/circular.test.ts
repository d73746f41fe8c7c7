import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { errata, tempTree, typecheck } from './helpers/cli';
import { miniContract } from './helpers/mini-contract';

it('survives circular schemas, keeping them as named $refs', () => {
  const mini = miniContract();
  const dir = tempTree(
    miniContract({
      'openapi.yaml': mini['openapi.yaml']!.replace(
        '    Error: { $ref: ./schemas/Error.yaml }\n',
        '    Error: { $ref: ./schemas/Error.yaml }\n    Tree: { $ref: ./schemas/Tree.yaml }\n',
      ),
      'schemas/Tree.yaml': 'type: object\nproperties:\n  name: { type: string }\n  children: { type: array, items: { $ref: ./Tree.yaml } }\n',
      'catalog.yaml': mini['catalog.yaml']!.replace('properties: { entity: { type: string } }', 'properties: { entity: { type: string }, near: { $ref: ./schemas/Tree.yaml } }'),
    }),
  );
  const r = errata(['generate', '--spec', 'openapi.yaml', '--out', 'generated'], dir);
  expect(r.code, r.stderr).toBe(0);
  const bundled = JSON.parse(readFileSync(path.join(dir, 'generated/openapi.json'), 'utf8'));
  expect(bundled.components.schemas.Tree.properties.children.items).toEqual({ $ref: '#/components/schemas/Tree' });
  expect(bundled.components.schemas.NotFoundError.properties.meta.properties.near).toEqual({ $ref: '#/components/schemas/Tree' });
  const files = readdirSync(path.join(dir, 'generated')).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, 'generated', f));
  expect(typecheck(files).output).toBe('');
});
