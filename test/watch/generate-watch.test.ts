import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchProcess } from '../helpers/watch-process';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

describe('errata generate --watch', () => {
  it('regenerates on an edit, reports a broken edit as a one-shot run does and keeps the last good output, recovers on the fix', async () => {
    const dir = tempTree(miniContract(), 'errata-watch-');
    const spec = path.join(dir, 'openapi.yaml');
    const out = path.join(dir, 'generated');
    const thing = path.join(dir, 'paths/thing.yaml');
    const watch = watchProcess('generate', ['--spec', spec, '--out', out], { ERRATA_CACHE_DIR: path.join(dir, '.cache') });
    try {
      const wrote = /^errata: wrote \d+ files to .* watching for changes$/m;
      await watch.until('stdout', wrote, 1);
      expect(readFileSync(path.join(out, 'openapi.json'), 'utf8')).not.toContain('Fetch one thing');

      // An edit of a file the root file references (not the root file itself). Every save here is
      // whole (written aside, renamed over): a save caught half-written may fail, then pass.
      const save = (text: string) => (writeFileSync(`${thing}.swp`, text), renameSync(`${thing}.swp`, thing));
      const original = readFileSync(thing, 'utf8');
      save(original.replace('operationId: getThing', 'operationId: getThing\n  summary: Fetch one thing'));
      await watch.until('stdout', wrote, 2);
      const good = readFileSync(path.join(out, 'openapi.json'), 'utf8');
      expect(good).toContain('Fetch one thing');
      expect(readFileSync(path.join(out, 'openapi.ts'), 'utf8')).toContain('Fetch one thing');

      // A broken edit: a catalog code the catalog does not define.
      save(original.replace('x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NO_SUCH_CODE]'));
      await watch.until('stderr', /kept the last good output/, 1);
      const once = await errataInProcess(['generate', '--spec', spec, '--out', path.join(dir, 'once')]);
      expect(once.code).not.toBe(0);
      expect(watch.out.stderr).toBe(`${once.stderr}errata: kept the last good output in ${path.relative(ROOT, out)}/; watching for changes\n`);
      expect(readFileSync(path.join(out, 'openapi.json'), 'utf8')).toBe(good);

      save(original);
      await watch.until('stdout', wrote, 3);
      expect(readFileSync(path.join(out, 'openapi.json'), 'utf8')).not.toContain('Fetch one thing');
    } finally {
      watch.stop();
    }
    expect(await watch.exited).toBe(0);
  });
});
