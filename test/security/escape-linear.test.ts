import { describe, expect, it } from 'vitest';
import * as escape from '../../generator/model/escape';

/**
 * Issue 12 item 6: every escaper runs in linear time. Each adversarial string is 256 KB of a pattern
 * that made a regex in escape.ts backtrack quadratically (a 300 KB description ran past 60 s). A
 * linear escaper takes under a tenth of the budget on it (measured: at most 95 ms on a loaded
 * two-core machine); a quadratic one takes tens of seconds.
 *
 * A ratio of CPU times (n against 4n) was tried instead of a budget: below 1 MB, V8's string
 * fast paths and GC make it vary from 3 to 23 for linear escapers under load, which overlaps a
 * quadratic escaper's 16, so it could not tell them apart reliably.
 */
const SIZE = 256 << 10;
const fill = (head: string, unit: string, tail = '') => head + unit.repeat(Math.ceil((SIZE - head.length - tail.length) / unit.length)) + tail;

const ADVERSARIAL: Record<string, string> = {
  'spaces before a character (tsComment trailing-space strip, markdownInline folding)': fill('', ' ', 'x'),
  'tabs and spaces with no line break': fill('', ' \t', 'x'),
  'a link target after a long run of blanks': fill('](', ' ', 'x'),
  'many link openers': fill('', ']( '),
  'a definition label then blanks': fill('[a]:', ' ', 'x'),
  'many definition openers': fill('', '['),
  'escaped brackets': fill('[', '\\['),
  'long labels': fill('', '[aaaaaaaaaaaaaaaaaaaa'),
  'blank lines': fill('', '\n'),
  'blank lines with spaces': fill('', ' \n'),
  'backticks': fill('', '`'),
  'fences': fill('', '```\n'),
  'comment ends': fill('', '*/'),
  'bidi controls': fill('', '\u202e\u2066'),
  'markdown punctuation': fill('', '_*[]()|~\\'),
};

const ESCAPERS: Record<string, (s: string) => unknown> = {
  tsString: escape.tsString,
  tsJson: (s) => escape.tsJson({ [s.slice(0, 64)]: s }),
  tsComment: (s) => escape.tsComment(s, '  '),
  tsTemplate: escape.tsTemplate,
  tsSource: escape.tsSource,
  tsStringList: (s) => escape.tsStringList([s]),
  tsStringUnion: (s) => escape.tsStringUnion([s]),
  html: escape.html,
  markdown: escape.markdown,
  markdownInline: escape.markdownInline,
  markdownCell: escape.markdownCell,
  markdownTextCell: escape.markdownTextCell,
  markdownCode: escape.markdownCode,
  markdownCodeCell: escape.markdownCodeCell,
  markdownFence: (s) => escape.markdownFence(s, 'json'),
  anchor: (s) => escape.anchor('code-', s),
  terminal: escape.terminal,
};

describe('every escaper in escape.ts is linear (issue 12, item 6)', () => {
  for (const [name, fn] of Object.entries(ESCAPERS)) {
    it(`${name}: 256 KB of each adversarial pattern in under a second (CPU) each`, () => {
      for (const [pattern, text] of Object.entries(ADVERSARIAL)) {
        expect(text.length).toBeGreaterThanOrEqual(SIZE);
        // CPU time, not wall time: on a shared machine the wall clock also counts other processes.
        // The best of three runs; a quadratic escaper is slow every time.
        let ms = Infinity;
        for (let run = 0; run < 3 && ms >= 1000; run++) {
          const start = process.cpuUsage();
          fn(text);
          const used = process.cpuUsage(start);
          ms = Math.min(ms, (used.user + used.system) / 1000);
        }
        expect(ms, `${name} took ${Math.round(ms)} ms on ${pattern}`).toBeLessThan(1000);
      }
    });
  }
});
