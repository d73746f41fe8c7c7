import { describe, expect, it } from 'vitest';
import { patch } from './helpers/patch';

describe('patch, the fixture editor every rule test uses', () => {
  it('replaces one occurrence, or every one when asked', () => {
    expect(patch('a: 1\nb: 2\n', 'b: 2', 'b: 3')).toBe('a: 1\nb: 3\n');
    expect(patch('x x', 'x', 'y', { all: true })).toBe('y y');
    expect(patch('code: /code', /\/code$/, '/error_code')).toBe('code: /error_code');
    // `$` patterns in the replacement are text, as in a fixture.
    expect(patch('a', 'a', "'$&'")).toBe("'$&'");
  });

  it('throws when the text to replace is not there, so a case cannot silently become the clean fixture', () => {
    expect(() => patch('status: 404', 'status: 410', 'status: 200')).toThrow('patch: "status: 410" does not occur in the fixture');
    expect(() => patch('status: 404', /status: 5\d\d/, 'status: 200')).toThrow('matches nothing');
  });

  it('throws when a string occurs more than once and the caller did not say which', () => {
    expect(() => patch('x x', 'x', 'y')).toThrow('occurs 2 times');
  });
});
