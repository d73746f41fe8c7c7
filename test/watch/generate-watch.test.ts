import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchProcess } from '../helpers/watch-process';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

/**
 * One `errata generate --watch` process for the file (a watcher's start-up is most of its CPU): the
 * first test leaves the contract as it found it, and each counts only the runs and errors it caused.
 */
describe('errata generate --watch', () => {
  const root = miniContract()['openapi.yaml']!
    .replace('paths:\n', "paths:\n  /health:\n    get:\n      operationId: getHealth\n      responses:\n        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Health' } } } }\n        '413': { $ref: '#/components/responses/TooLarge' }\n")
    .replace('  schemas:\n', '  schemas:\n    Health:\n      type: object\n      description: Service health.\n      properties: { ok: { type: boolean } }\n');
  const dir = tempTree(miniContract({ 'openapi.yaml': root }), 'errata-watch-');
  const spec = path.join(dir, 'openapi.yaml');
  const out = path.join(dir, 'generated');
  const wrote = /^errata: wrote \d+ files to .* watching for changes$/m;
  let watch: ReturnType<typeof watchProcess>;
  /** How many runs the watcher has written so far. */
  const runs = () => (watch.out.stdout.match(new RegExp(wrote.source, 'gm')) ?? []).length;
  // Every save here is whole (written aside, renamed over): a save caught half-written may fail, then pass.
  const save = (rel: string, edit: (text: string) => string) => {
    const file = path.join(dir, rel);
    writeFileSync(`${file}.swp`, edit(readFileSync(file, 'utf8')));
    renameSync(`${file}.swp`, file);
  };
  beforeAll(async () => {
    watch = watchProcess('generate', ['--spec', spec, '--out', out], { ERRATA_CACHE_DIR: path.join(dir, '.cache') });
    await watch.until('stdout', wrote, 1);
    expect(watch.out.stderr).toBe('');
  });
  afterAll(async () => {
    watch.stop();
    expect(await watch.exited).toBe(0);
  });

  it('regenerates on an edit, reports a broken edit as a one-shot run does and keeps the last good output, recovers on the fix', async () => {
    const base = runs();
    const errors = watch.out.stderr;
    const thing = 'paths/thing.yaml';
    const original = readFileSync(path.join(dir, thing), 'utf8');
    expect(readFileSync(path.join(out, 'openapi.json'), 'utf8')).not.toContain('Fetch one thing');

    try {
      // An edit of a file the root file references (not the root file itself).
      save(thing, () => original.replace('operationId: getThing', 'operationId: getThing\n  summary: Fetch one thing'));
      await watch.until('stdout', wrote, base + 1);
      const good = readFileSync(path.join(out, 'openapi.json'), 'utf8');
      expect(good).toContain('Fetch one thing');
      expect(readFileSync(path.join(out, 'openapi.ts'), 'utf8')).toContain('Fetch one thing');

      // A broken edit: a catalog code the catalog does not define.
      save(thing, () => original.replace('x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NO_SUCH_CODE]'));
      await watch.until('stderr', /kept the last good output/, (errors.match(/kept the last good output/g) ?? []).length + 1);
      const once = await errataInProcess(['generate', '--spec', spec, '--out', path.join(dir, 'once')]);
      expect(once.code).not.toBe(0);
      expect(watch.out.stderr.slice(errors.length)).toBe(`${once.stderr}errata: kept the last good output in ${path.relative(ROOT, out)}/; watching for changes\n`);
      expect(readFileSync(path.join(out, 'openapi.json'), 'utf8')).toBe(good);

      save(thing, () => original);
      await watch.until('stdout', wrote, base + 2);
      expect(readFileSync(path.join(out, 'openapi.json'), 'utf8')).not.toContain('Fetch one thing');
    } finally {
      // A failure above must not leave the next test a broken contract to wait on.
      if (readFileSync(path.join(dir, thing), 'utf8') !== original) {
        const n = runs();
        save(thing, () => original);
        await watch.until('stdout', wrote, n + 1);
      }
    }
  });

  it('after an edit of one operation, of one component schema, an added and a removed path, writes what a fresh errata generate writes, transforming only the changed parts', async () => {
    const base = runs();
    const files = (folder: string) => Object.fromEntries(readdirSync(folder, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name !== 'README.md').map((d) => [path.relative(folder, path.join(d.parentPath, d.name)), readFileSync(path.join(d.parentPath, d.name), 'utf8')]));
    const edits: [string, string, (text: string) => string, string][] = [
      // (Not the summary the test above adds: the contract would be one whose types are cached.)
      ['one operation', 'paths/thing.yaml', (t) => t.replace('operationId: getThing', 'operationId: getThing\n  summary: Fetches the thing'), 'Fetches the thing'],
      ['one component schema', 'openapi.yaml', (t) => t.replace('description: Service health.', 'description: Whether the service is up.'), 'Whether the service is up.'],
      ['an added path', 'openapi.yaml', (t) => t.replace('paths:\n', "paths:\n  /ping:\n    get:\n      operationId: ping\n      summary: Answers pong\n      responses:\n        '204': { description: pong }\n        '413': { $ref: '#/components/responses/TooLarge' }\n"), 'Answers pong'],
      // (Not the path just added: the contract would be the one before, whose types are cached.)
      ['a removed path', 'openapi.yaml', (t) => t.replace(/ {2}\/health:\n(?: {4}.*\n)*/, ''), '"/ping"'],
    ];
    const originals = ['paths/thing.yaml', 'openapi.yaml'].map((rel) => [rel, readFileSync(path.join(dir, rel), 'utf8')] as const);
    try {
      for (const [i, [what, rel, edit, expected]] of edits.entries()) {
        save(rel, edit);
        await watch.until('stdout', wrote, base + i + 1);
        const line = watch.out.stdout.match(new RegExp(wrote.source, 'gm'))![base + i]!;
        // Only the changed parts went through openapi-typescript again, not the whole document.
        const [, again, parts] = /; openapi\.ts: (\d+) of (\d+) parts transformed again\)/.exec(line) ?? [];
        expect(line, what).toMatch(/parts transformed again/);
        expect(Number(again), what).toBeLessThan(Number(parts));
        const cache = process.env.ERRATA_CACHE_DIR;
        const fresh = await errataInProcess(['generate', '--spec', spec, '--out', path.join(dir, `fresh-${i}`), '--no-cache']);
        cache === undefined ? delete process.env.ERRATA_CACHE_DIR : (process.env.ERRATA_CACHE_DIR = cache);
        expect(fresh.code, fresh.stderr).toBe(0);
        const watched = files(out);
        expect(watched['openapi.ts'], what).toContain(expected);
        // Headers name the command that regenerates them, whose --out differs.
        const fresh1 = Object.fromEntries(Object.entries(files(path.join(dir, `fresh-${i}`))).map(([f, text]) => [f, text.replaceAll(`fresh-${i}`, 'generated')]));
        expect(watched, what).toEqual(fresh1);
      }
      expect(files(out)['openapi.ts']).not.toContain('/health');
    } finally {
      // As the test above: the contract is left as found, whichever test runs next.
      const changed = originals.filter(([rel, text]) => readFileSync(path.join(dir, rel), 'utf8') !== text);
      const n = runs();
      for (const [rel, text] of changed) save(rel, () => text);
      if (changed.length > 0) await watch.until('stdout', wrote, n + 1);
    }
  });
});
