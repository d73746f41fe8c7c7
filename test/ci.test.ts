import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from './helpers/cli';
import { packageCopy } from './helpers/package-copy';

/**
 * The real `.ci/run`, on a committed copy of the repository. The drift check runs for real: the
 * copy's `generate` script from package.json with `--check` appended, run by `sh -c` with the
 * project's node_modules/.bin first on PATH, as `npm run generate -- --check` runs it (without npm's
 * own start-up, a CPU-second). Every other step is a stand-in that records that it was reached,
 * so the test shows what the script checks and in which order without installing, linting or
 * testing again: `npm` and `chromium-headless-shell` found first on PATH are small scripts that log their
 * arguments, run the drift check, and stop the script with exit 99 at the first step after the
 * ones under test.
 */
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

function fakeTools(onMain: string, onCheck: string): string {
  const bin = tempTree({}, 'errata-ci-bin-');
  const npm = `#!/usr/bin/env bash
echo "npm $*" >> "$CI_LOG"
case "$*" in
  ci) exit 0 ;;
  "run generate -- --check") ${onCheck} ;;
  "run main") ${onMain} ;;
  *) exit 99 ;;
esac
`;
  writeFileSync(path.join(bin, 'npm'), npm);
  writeFileSync(path.join(bin, 'chromium-headless-shell'), '#!/usr/bin/env bash\nexit 0\n');
  writeFileSync(path.join(bin, 'apt-get'), '#!/usr/bin/env bash\necho "apt-get $*" >> "$CI_LOG"\nexit 99\n');
  for (const tool of ['npm', 'chromium-headless-shell', 'apt-get']) chmodSync(path.join(bin, tool), 0o755);
  return bin;
}

/**
 * A copy of the repository, committed in its own git repository as a CI checkout is. Made once for
 * the file; each test gets it back as committed (`git checkout` and `git clean`: whatever the
 * previous test changed or added is gone).
 */
let committed: string | undefined;
function checkout(): string {
  const dir = (committed ??= packageCopy());
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  if (existsSync(path.join(dir, '.git'))) {
    git('checkout', '-q', '--', '.');
    git('clean', '-fdq');
    return dir;
  }
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules\ndist/\nsite/\n');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'checkout');
  return dir;
}

/** What `npm run generate -- --check` runs in `dir`. */
function driftCheck(dir: string): string {
  const script = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['generate']!;
  return `PATH=${quote(path.join(dir, 'node_modules/.bin'))}:"$PATH" exec sh -c ${quote(`${script} --check`)}`;
}

/** Runs `.ci/run` in `dir`; `onMain` and `onCheck` are the shell the stand-in npm runs for those steps. */
function ciRun(dir: string, onMain = 'exit 0', onCheck = driftCheck(dir)): Promise<{ code: number; stderr: string; steps: string[] }> {
  const log = path.join(tempTree({}, 'errata-ci-log-'), 'steps');
  writeFileSync(log, '');
  const env = { ...process.env, PATH: `${fakeTools(onMain, onCheck)}${path.delimiter}${process.env.PATH}`, CI_LOG: log };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(dir, '.ci/run')], { cwd: dir, env });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr, steps: readFileSync(log, 'utf8').trim().split('\n') }));
  });
}

describe('.ci/run', () => {
  it('fails on a stale generated/, before anything regenerates it', async () => {
    const dir = checkout();
    // A contract change committed without regenerating: generated/ no longer matches it.
    appendFileSync(path.join(dir, 'generated/catalog.ts'), '// edited by hand\n');
    const r = await ciRun(dir);
    expect(r.stderr).toContain('catalog.ts (differs)');
    expect(r.steps).toEqual(['npm ci', 'npm run generate -- --check']);
    expect(r.code).toBe(1);
  });

  // The real check passing on the committed generated/ is test/contracts.test.ts's drift test; here
  // a stand-in check passes, so only the steps after it run.
  it('fails when the main job changes generated/, a changed file or a new one', async () => {
    const dir = checkout();
    const r = await ciRun(dir, 'echo "// regenerated differently" >> generated/server.ts; echo x > generated/new-file.ts; exit 0', 'exit 0');
    expect(r.steps).toEqual(['npm ci', 'npm run generate -- --check', 'npm run main']);
    expect(r.stderr).toContain('the main job changed generated/');
    expect(r.stderr).toMatch(/M generated\/server\.ts/);
    expect(r.stderr).toMatch(/\?\? generated\/new-file\.ts/);
    expect(r.code).toBe(1);
  });

  it('goes on to typecheck and test when generated/ is in step', async () => {
    const dir = checkout();
    const r = await ciRun(dir, 'exit 0', 'exit 0');
    expect(r.steps).toEqual(['npm ci', 'npm run generate -- --check', 'npm run main', 'npm run typecheck']);
    expect(r.code, r.stderr).toBe(99);
  });
});
