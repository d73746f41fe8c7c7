import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRATA_BIN, ROOT, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';
import { patch } from '../helpers/patch';

/** A process as /proc shows it: parent, state, and CPU time used so far in clock ticks (man 5 proc). */
function stat(pid: number): { ppid: number; state: string; ticks: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), state: f[0]!, ticks: Number(f[11]) + Number(f[12]) };
}

/** `root` and the live processes descended from it, each with its command line. */
function tree(root: number): { pid: number; argv: string[] }[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const s = /^\d+$/.test(name) ? stat(Number(name)) : undefined;
    if (s && s.state !== 'Z') parent.set(Number(name), s.ppid);
  }
  const found: { pid: number; argv: string[] }[] = [];
  for (const [pid] of parent) {
    for (let p: number | undefined = pid; p !== undefined; p = parent.get(p)) {
      if (p !== root) continue;
      try {
        found.push({ pid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') });
      } catch {
        // Gone meanwhile.
      }
      break;
    }
  }
  return found;
}

const isRedoclyLint = (p: { argv: string[] }) => p.argv.some((a) => a.endsWith('@redocly/cli/bin/cli.js')) && p.argv.includes('lint');

/**
 * Issue 12, item 17: Redocly's example rules run a contract's `pattern` on a backtracking regex
 * engine (upstream). docs/security.md documents it and shows how to bound a lint run in CI; this
 * runs that very command on a contract that hangs Redocly, and lets its bound run out once the lint
 * is seen stuck in the regex (a condition, not a guess at how long start-up takes on this machine).
 */
describe('bounding a lint run (issue 12, item 17)', () => {
  it('the command docs/security.md gives kills a lint that backtracks catastrophically, and fails', { timeout: 600_000 }, async () => {
    const doc = readFileSync(path.join(ROOT, 'docs/security.md'), 'utf8');
    expect(doc).toContain("pattern: '^(a+)+$'");
    const command = /^timeout .*?(\d+) npx errata lint openapi\/openapi\.yaml$/m.exec(doc);
    expect(command, 'docs/security.md shows a `timeout … N npx errata lint` command').not.toBeNull();
    // A bound, and one that ends the run well inside a CI job (GitHub's default job limit is 6 h):
    // `timeout 0` would never kill.
    const bound = Number(command![1]);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(3600);
    const files = miniContract();
    files['paths/thing.yaml'] = patch(
      files['paths/thing.yaml']!,
      "    '200': { description: ok, content: { application/json: { schema: { type: object } } } }",
      "    '200':\n      description: ok\n      content:\n        application/json:\n          schema: { type: string, pattern: '^(a+)+$' }\n          example: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'",
    );
    const dir = tempTree(files);
    // The documented command as written, with this checkout's errata for `npx errata`.
    const run = command![0].replace('npx errata lint openapi/openapi.yaml', `"${process.execPath}" "${ERRATA_BIN}" lint openapi.yaml`);
    const sh = spawn('sh', ['-c', run], { cwd: dir, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    const waiters: (() => void)[] = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    sh.stdout.on('data', (d) => ((stdout += String(d)), wake()));
    sh.stderr.on('data', (d) => ((stderr += String(d)), wake()));
    // As a CI shell reports it: 128 + the signal's number when killed (sh may have exec'd timeout).
    const exited = new Promise<number>((resolve) => sh.once('close', (code, signal) => (wake(), resolve(code ?? 128 + constants.signals[signal!]))));
    let finished = false;
    let redocly: { pid: number } | undefined;
    void exited.then(() => (finished = true));
    try {
      // Redocly announces the contract before its rules walk it; a whole walk of this contract,
      // example rules included, takes about 0.1 s of CPU when the example is short (`aaaa!`).
      while (!stderr.includes('validating openapi.yaml...')) {
        if (finished) throw new Error(`the lint ended before Redocly started validating:\n${stdout}\n${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      redocly = tree(sh.pid!).find(isRedoclyLint);
      expect(redocly, 'Redocly runs under the timeout').toBeDefined();
      // Stuck: five times that walk's CPU spent since, and no "validated" line. CPU time, not wall
      // time, so a busy machine only makes this wait longer. Polled: CPU time raises no event.
      const start = stat(redocly!.pid)!.ticks;
      const HALF_A_SECOND = 50; // in clock ticks (USER_HZ, 100 on Linux), /proc/PID/stat's unit
      while ((stat(redocly!.pid)?.ticks ?? start) - start < HALF_A_SECOND) {
        if (finished || stderr.includes('validated in')) throw new Error(`the lint ended on its own:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The bound runs out: GNU timeout's timer is SIGALRM, and a SIGALRM is what it acts on.
      const timeout = tree(sh.pid!).find((p) => path.basename(p.argv[0]!) === 'timeout');
      expect(timeout, 'the command runs under `timeout`').toBeDefined();
      process.kill(timeout!.pid, 'SIGALRM');
      expect(await exited, stdout + stderr).toBe(137);
      // Redocly went with the run (timeout kills its whole process group), not left to backtrack
      // on its own: gone, or at least no longer using CPU (a killed process is only exiting).
      const killedAt = stat(redocly!.pid)?.ticks;
      for (let s = stat(redocly!.pid); s && s.state !== 'Z'; s = stat(redocly!.pid)) {
        expect(s.ticks - killedAt!, 'Redocly still backtracks after the run was killed').toBeLessThan(20);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      // A failed check leaves nothing backtracking: the whole tree goes (listed before any dies),
      // and Redocly even if it outlived its parents.
      const left = [...(finished ? [] : tree(sh.pid!)), ...(redocly ? tree(redocly.pid).filter(isRedoclyLint) : [])];
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
});
