import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { hasDuplicateKey, parseYaml, readPolicy } from '../../generator/load/read-source';

// A key named twice is found by counting: the members a JSON text writes against the members of
// the objects JSON.parse made of it. What could make the two counts differ without a duplicate, or
// agree despite one, is checked here against the YAML parser's verdict.
describe('a duplicated JSON key, found by counting members', () => {
  // Parsing reads nothing: the policy only bounds sizes, and only its folder (the repository's root) counts.
  const policy = readPolicy(path.join(ROOT, 'unread.json'));
  const duplicated = [
    ['__proto__ twice (JSON.parse keeps it as an own member)', '{ "__proto__": 1, "__proto__": 2 }'],
    ['twice deep inside an array', '[{ "a": [{ "b": 1, "c": { "d": 1, "d": 1 } }] }]'],
    ['written differently, the same after escapes', '{ "\\/": 1, "/": 2 }'],
    ['a duplicate in one object, an extra member nowhere', '{ "a": { "x": 1, "x": 2 }, "b": { "y": 1 } }'],
  ];
  const distinct = [
    ['strings that look like members', '{ "a": "\\": 1, \\"a", "b": ["c", ":", "d:"], "e": "\\\\" }'],
    ['space, tabs and newlines before the colon', '{ "a" \t\r\n : { "a"\n: 1 }, "b" : [] }'],
    ['__proto__ once in each of two objects', '{ "__proto__": { "__proto__": null }, "x": {} }'],
    ['the same names in sibling objects', '{ "a": { "x": 1 }, "b": { "x": 1 }, "c": ["x", "x"] }'],
  ];
  it.each(duplicated)('%s', (_name, text) => {
    expect(hasDuplicateKey(text)).toBe(true);
    expect(() => parseYaml(text, 'f.json', policy)).toThrow(/duplicated mapping key/);
  });
  it.each(distinct)('%s: none', (_name, text) => {
    expect(hasDuplicateKey(text)).toBe(false);
    expect(parseYaml(text, 'f.json', policy)).toEqual(JSON.parse(text));
  });
});
