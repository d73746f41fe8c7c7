/**
 * How much errata's rules add to `redocly lint` with Redocly's recommended ruleset, on GitHub's
 * REST description (~1,200 operations, 13 MB). Both configurations run in the same process
 * tree, alternating, so machine noise hits them alike. Target: at most 1.10×.
 *
 *   npx tsx bench/lint.ts [--runs 5] [--warmup 1]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildPlugin } from '../generator/lint/command';
import { GITHUB_SPEC } from './github-contract';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REDOCLY = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

export interface Timing {
  /** Wall time of the whole `redocly lint` process, ms. */
  median: number;
  min: number;
  max: number;
  /** Redocly's own "validated in N ms" (lint without process start-up), median. */
  lintMedian: number;
  /** CPU time (user + system) of the process, median: the least disturbed by other load. */
  cpuMedian: number;
  samples: number[];
}

export interface LintBenchResult {
  spec: string;
  runs: number;
  recommended: Timing;
  withErrata: Timing;
  /** withErrata.median / recommended.median */
  ratio: number;
  /** The same ratio over Redocly's lint time only. */
  lintRatio: number;
  /** The same ratio over CPU time. */
  cpuRatio: number;
  /**
   * Share of one profiled `recommended + errata/all` run's CPU samples that have errata's plugin
   * on the stack (its visitors and the Redocly calls they make): unlike the ratios, machine load
   * barely moves it.
   */
  pluginShare: number;
  problems: { recommended: string; withErrata: string };
}

export async function benchLint(options: { runs?: number; warmup?: number; spec?: string } = {}): Promise<LintBenchResult> {
  const runs = options.runs ?? 5;
  const warmup = options.warmup ?? 1;
  const spec = options.spec ?? GITHUB_SPEC;
  const dir = mkdtempSync(path.join(tmpdir(), 'errata-bench-lint-'));
  try {
    const plugin = await buildPlugin(path.join(dir, 'redocly-plugin.mjs'));
    const configs = {
      recommended: path.join(dir, 'recommended.yaml'),
      withErrata: path.join(dir, 'with-errata.yaml'),
    };
    writeFileSync(configs.recommended, 'telemetry: off\nextends: [recommended]\n');
    writeFileSync(configs.withErrata, `telemetry: off\nplugins: [${JSON.stringify(plugin)}]\nextends: [recommended, errata/all]\n`);
    const samples = { recommended: [] as number[], withErrata: [] as number[] };
    const lintTimes = { recommended: [] as number[], withErrata: [] as number[] };
    const cpuTimes = { recommended: [] as number[], withErrata: [] as number[] };
    const preload = path.join(dir, 'cpu.mjs');
    // Runs inside each redocly process: reports its own CPU time as it exits.
    writeFileSync(preload, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`errata-bench-cpu ${(u.user + u.system) / 1000}\\n`); });\n");
    const problems = { recommended: '', withErrata: '' };
    for (let i = 0; i < warmup + runs; i++) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      const order = i % 2 === 0 ? (['recommended', 'withErrata'] as const) : (['withErrata', 'recommended'] as const);
      for (const name of order) {
        const r = await lintOnce(spec, configs[name], preload);
        if (i < warmup) continue;
        samples[name].push(r.wall);
        lintTimes[name].push(r.lint);
        cpuTimes[name].push(r.cpu);
        problems[name] = r.summary;
      }
    }
    const timing = (name: keyof typeof samples): Timing => ({
      median: median(samples[name]),
      min: Math.min(...samples[name]),
      max: Math.max(...samples[name]),
      lintMedian: median(lintTimes[name]),
      cpuMedian: median(cpuTimes[name]),
      samples: samples[name],
    });
    const recommended = timing('recommended');
    const withErrata = timing('withErrata');
    const pluginShare = await profiledShare(spec, configs.withErrata, plugin, path.join(dir, 'profile'));
    return { spec, runs, recommended, withErrata, ratio: withErrata.median / recommended.median, lintRatio: withErrata.lintMedian / recommended.lintMedian, cpuRatio: withErrata.cpuMedian / recommended.cpuMedian, pluginShare, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lintOnce(spec: string, config: string, preload: string): Promise<{ wall: number; lint: number; cpu: number; summary: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', pathToFileURL(preload).href, REDOCLY, 'lint', spec, '--config', config, '--format', 'summary'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const wall = performance.now() - start;
      const lint = Number(/validated in (\d+)ms/.exec(stderr)?.[1]);
      const cpu = Number(/errata-bench-cpu ([\d.]+)/.exec(stderr)?.[1]);
      const summary = /(Validation failed with [^\n]*|Woohoo![^\n]*)/.exec(stderr)?.[1] ?? '';
      if (!Number.isFinite(lint)) reject(new Error(`redocly lint did not finish:\n${stderr}`));
      else resolve({ wall, lint, cpu, summary });
    });
  });
}

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** One `redocly lint` under `node --cpu-prof`: the time-weighted share of samples inside the plugin. */
function profiledShare(spec: string, config: string, plugin: string, dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, REDOCLY, 'lint', spec, '--config', config, '--format', 'summary'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => {
      try {
        const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        if (!file) throw new Error('node --cpu-prof wrote no profile');
        const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
        // Redocly imports plugins with a cache-busting query (`redocly-plugin.mjs?v=0`).
        const pluginUrl = pathToFileURL(plugin).href;
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        const caller = new Map<number, number>();
        for (const n of profile.nodes) for (const c of n.children ?? []) caller.set(c, n.id);
        // A sample counts when a plugin frame is anywhere on its stack.
        const inPlugin = new Map<number, boolean>();
        const onStack = (id: number | undefined): boolean => {
          if (id === undefined) return false;
          let known = inPlugin.get(id);
          if (known === undefined) inPlugin.set(id, (known = byId.get(id)?.callFrame.url.split('?')[0] === pluginUrl || onStack(caller.get(id))));
          return known;
        };
        let total = 0;
        let inside = 0;
        profile.samples.forEach((id, i) => {
          const dt = profile.timeDeltas[i] ?? 0;
          total += dt;
          if (onStack(id)) inside += dt;
        });
        resolve(total > 0 ? inside / total : 0);
      } catch (e) {
        reject(e);
      }
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function formatLintBench(r: LintBenchResult): string {
  const row = (name: string, t: Timing) => `  ${name.padEnd(26)} median ${ms(t.median)}  min ${ms(t.min)}  max ${ms(t.max)}  (lint alone ${ms(t.lintMedian)}, CPU ${ms(t.cpuMedian)})`;
  return [
    `redocly lint on ${path.relative(ROOT, r.spec)}, ${r.runs} runs each after warm-up:`,
    row('recommended', r.recommended),
    row('recommended + errata/all', r.withErrata),
    `  ratio ${r.ratio.toFixed(3)}× wall time, ${r.lintRatio.toFixed(3)}× lint time, ${r.cpuRatio.toFixed(3)}× CPU time (target ≤ 1.10×)`,
    `  errata's rules in a profiled run: ${(r.pluginShare * 100).toFixed(2)}% of CPU samples (their visitors and the Redocly calls they make)`,
    `  problems: recommended ${r.problems.recommended}; with errata ${r.problems.withErrata}`,
  ].join('\n');
}

const ms = (n: number) => `${Math.round(n)} ms`.padStart(8);

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' } } });
  const result = await benchLint({ runs: Number(values.runs), warmup: Number(values.warmup) });
  process.stdout.write(`${formatLintBench(result)}\n`);
}
