import { describe, expect, it } from 'vitest';
import { hasDuplicateKey, parseYaml, readPolicy } from '../../generator/load/read-source';

// A JSON contract is parsed with JSON.parse (seconds faster on a large one) only where the YAML
// parser would read the same thing; what it would refuse still goes its way and is refused alike.
describe('JSON contract files', () => {
  const policy = readPolicy('/contract/openapi.json');
  it('read as YAML reads them', () => {
    const text = '{ "a": [1, 2.5, -0, 1e3, true, null, "x\\u00e9\\n"], "b": { "a": "{\\"a\\": 1}" }, "c": {} }';
    expect(parseYaml(text, 'f.json', policy)).toEqual({ a: [1, 2.5, -0, 1000, true, null, 'xé\n'], b: { a: '{"a": 1}' }, c: {} });
  });
  it('a key named twice in one object is refused as the YAML parser refuses it, also when written with escapes', () => {
    for (const text of ['{ "a": 1, "b": { "x": 1, "x": 2 } }', '{ "a": 1, "\\u0061": 2 }']) {
      expect(hasDuplicateKey(text)).toBe(true);
      expect(() => parseYaml(text, 'f.json', policy)).toThrow(/duplicated mapping key/);
    }
    expect(hasDuplicateKey('{ "a": { "x": 1 }, "b": { "x": 1 }, "c": ["x", "x"] }')).toBe(false);
  });
});
