import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../generator/errors';
import { loadContract } from '../../generator/load/load-contract';
import { tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

// A `.json` contract file is parsed by errata's reader, never by json-schema-ref-parser's own JSON
// parser (JSON.parse keeps the last of two equal keys silently): a code written twice in a JSON
// catalog is reported as it is in a YAML one, with its file and line.
describe('a JSON contract file that names a key twice', () => {
  const catalog = `{
  "categories": [{ "id": "resource", "title": "Resource errors" }],
  "codes": {
    "NOT_FOUND": { "status": 404, "category": "resource", "description": "Resource does not exist.", "fix": "Verify the id." },
    "FILE_TOO_LARGE": { "status": [413, 422], "category": "resource", "description": "File exceeds the limit.", "fix": "Compress it." },
    "NOT_FOUND": { "status": 404, "category": "resource", "description": "Twice.", "fix": "Verify the id." }
  }
}
`;

  it.each([
    ['a referenced file', { 'catalog.json': catalog, 'openapi.yaml': miniContract()['openapi.yaml']!.replace('./catalog.yaml', './catalog.json') }, 'catalog.json', 6, 'NOT_FOUND'],
    ['the root file', { 'openapi.json': `{\n  "openapi": "3.1.0",\n  "info": { "title": "t", "version": "1" },\n  "paths": {},\n  "info": { "title": "u", "version": "2" }\n}\n` }, 'openapi.json', 5, 'info'],
  ])('in %s is refused with the duplicated key and its line', async (_name, files, bad, line, key) => {
    const dir = tempTree(files as Record<string, string>, 'errata-json-dup-');
    const root = path.join(dir, 'catalog.json' in files ? 'openapi.yaml' : 'openapi.json');
    const error = await loadContract(root, { validate: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.message).toContain(`cannot parse`);
    expect(usage.message).toContain(`${JSON.stringify(key)} is defined twice in the same mapping (duplicated mapping key`);
    expect(usage.location?.file.endsWith(bad)).toBe(true);
    expect(usage.location?.line).toBe(line);
  });
});
