/**
 * `errata generate --watch` after a one-operation edit: the time from saving the edit (written
 * aside and renamed over the file, as editors save) to errata's "wrote" line, once the watch loop
 * has generated the contract and taken one warm-up edit. Each run edits one operation's summary.
 */
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { figure, type Figure } from './measure';

export interface WatchBench {
  /** Seconds from the save to the new output on disk. */
  regenerate: Figure;
  /** CPU seconds the watch process (all its threads) spent on it: what machine load barely moves. */
  cpu: Figure;
  /** What errata printed for the same runs (ms, its own clock). */
  reported: Figure;
  /** How openapi.ts was made in each measured run, as errata's line says ("1 of 1104 parts transformed again"). */
  notes: string[];
}

/**
 * `file`: the contract file to edit; `edit(text, n)` returns its text with the nth edit made.
 * `cmd`: the watch command (node, bin, generate --watch, …).
 */
export async function benchWatch(options: { cmd: string[]; cwd: string; env: Record<string, string>; file: string; edit(text: string, n: number): string; runs: number }): Promise<WatchBench> {
  const child = spawn(options.cmd[0]!, options.cmd.slice(1), { cwd: options.cwd, env: { ...process.env, REDOCLY_TELEMETRY: 'off', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let wake: (() => void) | undefined;
  child.stdout.on('data', (d) => ((stdout += String(d)), wake?.()));
  child.stderr.on('data', (d) => ((stderr += String(d)), wake?.()));
  child.once('exit', () => wake?.());
  const lines = () => [...stdout.matchAll(/^errata: wrote .* \((\d+) ms(?:; (.*))?\); watching for changes$/gm)];
  const wrote = () => lines().map((m) => Number(m[1]));
  const until = async (n: number) => {
    while (wrote().length < n) {
      if (child.exitCode !== null || /kept the last good output/.test(stderr)) throw new Error(`errata generate --watch failed:\n${stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const original = readFileSync(options.file, 'utf8');
  const save = (text: string) => {
    writeFileSync(`${options.file}.tmp`, text);
    renameSync(`${options.file}.tmp`, options.file);
  };
  try {
    await until(1);
    const seconds: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i <= options.runs; i++) {
      const started = performance.now();
      const cpuBefore = cpuSeconds(child.pid!);
      save(options.edit(original, i + 1));
      await until(i + 2);
      // The first edit warms the loop up (compiles the code paths a regeneration takes).
      if (i > 0) {
        seconds.push((performance.now() - started) / 1000);
        cpu.push(cpuSeconds(child.pid!) - cpuBefore);
      }
    }
    return { regenerate: figure(seconds), cpu: figure(cpu), reported: figure(wrote().slice(2).map((ms) => ms / 1000)), notes: lines().slice(2).map((m) => m[2] ?? 'openapi.ts from the cache or unchanged') };
  } finally {
    child.kill('SIGINT');
    save(original);
  }
}

/** User + system CPU seconds of a process so far (Linux: /proc/<pid>/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // After "pid (comm) ", utime and stime are fields 12 and 13 (0-based, from the state field).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The nth edit of the first `summary` under `paths` in a JSON or YAML contract file. */
export function editSummary(text: string, n: number): string {
  const start = Math.max(0, text.indexOf('paths'));
  const re = /("summary":\s*"|summary: )([^"\n]*)/g;
  re.lastIndex = start;
  const m = re.exec(text);
  if (!m) throw new Error('no summary to edit');
  return text.slice(0, m.index) + m[1] + `${m[2]} (edit ${n})` + text.slice(m.index + m[0].length);
}
