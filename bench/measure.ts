import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const PRELOAD = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'rusage.mjs')).href;

/** How figures are taken: GNU time where installed, else a preload inside the (node) child. */
export const MEASURED_WITH = existsSync(GNU_TIME) ? 'GNU time' : 'process.resourceUsage() preloaded into the child';

export interface Sample {
  seconds: number;
  /** User + system CPU time of the child: less disturbed than wall time when others load the machine. */
  cpuSeconds: number;
  maxRssMb: number;
}

export interface Figure {
  median: number;
  min: number;
  max: number;
}

/**
 * Runs a command to completion as its own process and takes its wall time, CPU time and peak
 * resident memory (the child's, not ours). Fails loudly: a
 * benchmark of a failing command is worthless.
 */
/** A command's environment beyond the bench's own, and what to do before each run (empty a cache). */
export interface RunOptions {
  env?: Record<string, string>;
  prepare?: () => void;
}

export function measure(cmd: string[], cwd: string, options: RunOptions = {}): Sample {
  // cmd[0] is always node here, which is what the preload fallback needs.
  options.prepare?.();
  const dir = mkdtempSync(path.join(tmpdir(), 'errata-bench-'));
  const report = path.join(dir, 'time.txt');
  try {
    const started = process.hrtime.bigint();
    const [file, args] = existsSync(GNU_TIME) ? [GNU_TIME, ['-f', '%M %U %S', '-o', report, ...cmd]] : [cmd[0]!, ['--import', PRELOAD, ...cmd.slice(1)]];
    const r = spawnSync(file, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, REDOCLY_TELEMETRY: 'off', ERRATA_BENCH_RUSAGE: report, ...options.env } });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}):\n${(r.stderr ?? '').slice(-2000)}`);
    // GNU time prefixes its line with "Command exited…" notes when the child misbehaves; the figures are last.
    const [kb, user, sys] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { seconds, cpuSeconds: user! + sys!, maxRssMb: kb! / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Measured {
  time: Figure;
  cpu: Figure;
  rss: Figure;
  samples: Sample[];
}

export function summarize(samples: Sample[]): Measured {
  return { time: figure(samples.map((s) => s.seconds)), cpu: figure(samples.map((s) => s.cpuSeconds)), rss: figure(samples.map((s) => s.maxRssMb)), samples };
}

/** One warm-up run (file cache, tsx cache), then `runs` measured ones. */
export function repeat(cmd: string[], cwd: string, runs: number, options: RunOptions = {}): Measured {
  measure(cmd, cwd, options);
  return summarize(Array.from({ length: runs }, () => measure(cmd, cwd, options)));
}

/** errata ÷ baseline per alternated pair (each pair ran back to back): median (min–max). */
export interface PairRatios {
  wall: Figure;
  cpu: Figure;
  rss: Figure;
}

/**
 * Two commands measured in alternation (A B, B A, A B, …) after one warm-up each, discarded, so
 * load that others put on a shared machine falls on both alike. Besides each side's figures, the
 * ratio of every pair (the two runs taken back to back): drift in the machine's load between pairs
 * cancels out of it, where a ratio of two medians can pair one side's quiet run with the other's
 * busy one.
 */
type Command = { cmd: string[]; cwd: string } & RunOptions;
export function repeatPair(a: Command, b: Command, runs: number): [Measured, Measured, PairRatios] {
  const run = (c: Command) => measure(c.cmd, c.cwd, c);
  run(a);
  run(b);
  const sa: Sample[] = [];
  const sb: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      sa.push(run(a));
      sb.push(run(b));
    } else {
      sb.push(run(b));
      sa.push(run(a));
    }
  }
  const per = (of: (s: Sample) => number) => pairRatio(sa.map(of), sb.map(of));
  return [summarize(sa), summarize(sb), { wall: per((s) => s.seconds), cpu: per((s) => s.cpuSeconds), rss: per((s) => s.maxRssMb) }];
}

/** The median (min–max) of per-pair ratios: `a[i] / b[i]`, each pair run back to back. */
export function pairRatio(a: readonly number[], b: readonly number[]): Figure {
  return figure(a.map((x, i) => x / b[i]!));
}

export function figure(values: number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function fmt(f: Figure, unit: string, digits = 2): string {
  return `${f.median.toFixed(digits)} ${unit} (${f.min.toFixed(digits)}–${f.max.toFixed(digits)})`;
}
