/**
 * `npm run bench`: errata measured against the tools a user would otherwise run, side by side in
 * one run, as ratios. Every figure is the median of `--runs` runs after a warm-up, with min and
 * max; a ratio is the median of per-pair ratios (the runtime section runs at least 15 pairs). Prints a table and writes bench/results/bench.json (and bench.txt, the table).
 *
 *   npm run bench                                   # 3 runs each, all sections
 *   npm run bench -- --runs 5
 *   npm run bench -- --quick                        # 1 run, sizes 100,1000: for iterating
 *   npm run bench -- --only github,scaling,lint,diff --sizes 1000,10000
 *   npm run bench -- --only runtime                 # the generated server and client on loopback
 *   npm run bench -- --only tsc                     # tsc over GitHub's generated/ (generates it once first)
 *
 * BENCH_RUNS, BENCH_SIZES and BENCH_ONLY are read when the flags are absent.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GITHUB_SPEC, writeGithubContract } from './github-contract';
import { benchLint, formatLintBench } from './lint';
import { MEASURED_WITH, fmt, measure, repeat, repeatPair, type Figure, type Measured, type PairRatios, type RunOptions } from './measure';
import { benchWatch, editSummary } from './watch';
import { syntheticContract } from './synthetic';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench/results');
// Contracts and generated code: inside the repo so generated imports resolve against node_modules,
// in a `*.tmp` directory so `tsc -p .` (tsconfig excludes **/*.tmp) and git (.gitignore) skip them.
const WORK = path.join(RESULTS, 'work.tmp');
const { values: flags } = parseArgs({
  options: { runs: { type: 'string' }, sizes: { type: 'string' }, only: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
const RUNS = Number(flags.runs ?? process.env.BENCH_RUNS ?? (flags.quick ? 1 : 3));
const SIZES = (flags.sizes ?? process.env.BENCH_SIZES ?? (flags.quick ? '100,1000' : '100,1000,10000')).split(',').map(Number);
const ONLY = new Set((flags.only ?? process.env.BENCH_ONLY ?? 'picora,github,tsc,watch,scaling,lint,diff,runtime').split(','));
if (!(RUNS >= 1) || SIZES.some((n) => !(n >= 1))) throw new Error('--runs and --sizes take positive integers');
const NODE = process.execPath;
const ERRATA = path.join(ROOT, 'bin/errata.mjs');
const OTS = path.join(ROOT, 'node_modules/openapi-typescript/bin/cli.js');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const TSC_FLAGS = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types')];
// A directory without redocly.yaml: openapi-typescript's CLI would otherwise apply this repo's lint config.
const NEUTRAL = tmpdir();
// errata's cache (validation and openapi-typescript results by content hash): emptied before every
// cold run, as on a fresh clone in CI; the warm figures run with it filled, as the watch loop does.
// errata runs from its build (dist/, built first), as installed: through tsx, the sources cost
// about a second of CPU more per run, which no user pays.
const CACHE = path.join(WORK, 'errata-cache');
const cold: RunOptions = { env: { ERRATA_CACHE_DIR: CACHE, ERRATA_FROM: 'dist' }, prepare: () => rmSync(CACHE, { recursive: true, force: true }) };
const warm: RunOptions = { env: { ERRATA_CACHE_DIR: CACHE, ERRATA_FROM: 'dist' } };

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(d.parentPath, d.name));
}

const ratio = (a: Figure, b: Figure) => a.median / b.median;
const x = (f: Figure) => `${f.median.toFixed(2)}× (${f.min.toFixed(2)}–${f.max.toFixed(2)})`;
/** The target's figure: errata ÷ baseline per alternated pair, median (min–max); the ratio of the two medians beside it. */
const pairRatios = (p: PairRatios, a: Measured, b: Measured, memory = true) =>
  `${x(p.cpu)} CPU, ${x(p.wall)} wall${memory ? `, ${x(p.rss)} peak memory` : ''} per pair; of the medians ${ratio(a.cpu, b.cpu).toFixed(2)}× CPU, ${ratio(a.time, b.time).toFixed(2)}× wall`;
const line = (label: string, value: string) => `  ${label.padEnd(44)} ${value}`;
const out: string[] = [];
const say = (s: string) => {
  out.push(s);
  process.stdout.write(`${s}\n`);
};

mkdirSync(WORK, { recursive: true });
execFileSync(NODE, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
const json: Record<string, unknown> = { runs: RUNS, node: process.version, cpus: cpus().length, loadavg: loadavg(), measuredWith: MEASURED_WITH, date: new Date().toISOString() };
const started = Date.now();
say(`errata bench: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start; wall and peak memory via ${MEASURED_WITH}; errata run from its build (dist/)`);
say('');

function countOperations(file: string): number {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(k)).length, 0);
}

// GitHub's REST description as an errata contract, written once for the sections that use it.
let githubFile: string | undefined;
const githubContract = () => (githubFile ??= writeGithubContract(WORK));

// 0. Picora's contract (this repository's showcase), the edit → regenerate loop's everyday case.
if (ONLY.has('picora')) {
  const picora = path.join(WORK, 'picora');
  rmSync(picora, { recursive: true, force: true });
  cpSync(path.join(ROOT, 'openapi'), path.join(picora, 'openapi'), { recursive: true });
  const spec = path.join(picora, 'openapi/openapi.yaml');
  const outDir = path.join(picora, 'generated');
  say(`Picora (openapi/, ${RUNS} runs after a warm-up, alternating; median (min–max); errata's cache emptied before each errata run)`);
  const [gen, ots, pairs] = repeatPair(
    { cmd: [NODE, ERRATA, 'generate', '--spec', spec, '--out', outDir], cwd: ROOT, ...cold },
    { cmd: [NODE, OTS, path.join(outDir, 'openapi.json'), '-o', path.join(picora, 'openapi-typescript.ts')], cwd: NEUTRAL },
    RUNS,
  );
  const hot = repeat([NODE, ERRATA, 'generate', '--spec', spec, '--out', outDir], ROOT, RUNS, warm);
  say(line('errata generate, cold cache', `${fmt(gen.time, 's')}, CPU ${fmt(gen.cpu, 's')}, peak ${fmt(gen.rss, 'MB', 0)}`));
  say(line('openapi-typescript alone (same bundled file)', `${fmt(ots.time, 's')}, CPU ${fmt(ots.cpu, 's')}, peak ${fmt(ots.rss, 'MB', 0)}`));
  say(line('ratio, cold (target ≤ 1.2× wall, ≤ 1.15× CPU)', pairRatios(pairs, gen, ots)));
  say(line('errata generate, warm cache (unchanged)', `${fmt(hot.time, 's')}, CPU ${fmt(hot.cpu, 's')}; ${ratio(hot.time, ots.time).toFixed(2)}× wall, ${ratio(hot.cpu, ots.cpu).toFixed(2)}× CPU`));
  json.picora = { generate: gen, openapiTypescript: ots, warm: hot, ratio: { wall: ratio(gen.time, ots.time), cpu: ratio(gen.cpu, ots.cpu) }, pairRatio: pairs };
  if (ONLY.has('watch')) {
    const w = await benchWatch({ cmd: [NODE, ERRATA, 'generate', '--watch', '--spec', spec, '--out', outDir], cwd: ROOT, env: warm.env!, file: path.join(picora, 'openapi/paths/api-keys-id.yaml'), edit: editSummary, runs: Math.max(RUNS, 5) });
    say(line('generate --watch, one-operation edit (< 0.5 s)', `${fmt(w.regenerate, 's')} from save to output, CPU ${fmt(w.cpu, 's')} (errata's own clock ${fmt(w.reported, 's')})`));
    (json.picora as Record<string, unknown>).watch = w;
  }
  say('');
}

// 1. GitHub's REST description as an errata contract.
const ghOut = path.join(WORK, 'github-generated');
const ghOts = path.join(WORK, 'github-openapi-typescript.ts');
if (ONLY.has('github')) {
  const github = githubContract();
  say(`GitHub REST description (${path.relative(ROOT, github)}), ${RUNS} runs after a warm-up, alternating; median (min–max); errata's cache emptied before each errata run`);
  const [gen, ots, pairs] = repeatPair(
    { cmd: [NODE, ERRATA, 'generate', '--spec', github, '--out', ghOut], cwd: ROOT, ...cold },
    { cmd: [NODE, OTS, path.join(ghOut, 'openapi.json'), '-o', ghOts], cwd: NEUTRAL },
    RUNS,
  );
  say(line('errata generate, cold cache', `${fmt(gen.time, 's')}, CPU ${fmt(gen.cpu, 's')}, peak ${fmt(gen.rss, 'MB', 0)}`));
  say(line('openapi-typescript alone (same bundled file)', `${fmt(ots.time, 's')}, CPU ${fmt(ots.cpu, 's')}, peak ${fmt(ots.rss, 'MB', 0)}`));
  say(line('ratio, cold (target ≤ 1.2× wall, ≤ 1.15× CPU)', pairRatios(pairs, gen, ots)));
  const hot = repeat([NODE, ERRATA, 'generate', '--spec', github, '--out', ghOut], ROOT, RUNS, warm);
  say(line('errata generate, warm cache (unchanged)', `${fmt(hot.time, 's')}, CPU ${fmt(hot.cpu, 's')}; ${ratio(hot.time, ots.time).toFixed(2)}× wall, ${ratio(hot.cpu, ots.cpu).toFixed(2)}× CPU`));
  if (ONLY.has('watch')) {
    const w = await benchWatch({ cmd: [NODE, ERRATA, 'generate', '--watch', '--spec', github, '--out', ghOut], cwd: ROOT, env: warm.env!, file: github, edit: editSummary, runs: RUNS });
    say(line('generate --watch, one-operation edit (< 3 s)', `${fmt(w.regenerate, 's')} from save to output, CPU ${fmt(w.cpu, 's')} (errata's own clock ${fmt(w.reported, 's')})`));
    json.githubWatch = w;
  }
  json.githubWarm = hot;
  json.github = {
    operations: countOperations(github),
    generate: gen,
    openapiTypescript: ots,
    generateRatio: { wall: ratio(gen.time, ots.time), cpu: ratio(gen.cpu, ots.cpu), rss: ratio(gen.rss, ots.rss) },
    generatePairRatio: pairs,
  };
}

// 1b. tsc over every .ts file errata writes for GitHub's contract, against openapi-typescript's
// output alone. Without the github section (`--only tsc`), both are generated once first.
if (ONLY.has('tsc')) {
  const github = githubContract();
  if (!ONLY.has('github')) {
    say(`tsc over GitHub's generated files (${path.relative(ROOT, github)}), generated once first`);
    measure([NODE, ERRATA, 'generate', '--spec', github, '--out', ghOut], ROOT, cold);
    measure([NODE, OTS, path.join(ghOut, 'openapi.json'), '-o', ghOts], NEUTRAL);
  }
  const generatedTs = tsFiles(ghOut);
  const [tscAll, tscOts, pairs] = repeatPair({ cmd: [NODE, TSC, ...TSC_FLAGS, ...generatedTs], cwd: ROOT }, { cmd: [NODE, TSC, ...TSC_FLAGS, ghOts], cwd: ROOT }, RUNS);
  say(line(`tsc --noEmit, all of generated/ (${generatedTs.length} .ts files)`, `${fmt(tscAll.time, 's')}, CPU ${fmt(tscAll.cpu, 's')}, peak ${fmt(tscAll.rss, 'MB', 0)}`));
  say(line('tsc --noEmit, openapi-typescript output alone', `${fmt(tscOts.time, 's')}, CPU ${fmt(tscOts.cpu, 's')}, peak ${fmt(tscOts.rss, 'MB', 0)}`));
  say(line('ratio (target ≤ 1.10× CPU and wall)', pairRatios(pairs, tscAll, tscOts, false)));
  json.github = {
    ...(json.github as object),
    tscFiles: generatedTs.map((f) => path.relative(ghOut, f)),
    tscGenerated: tscAll,
    tscOpenapiTypescript: tscOts,
    tscRatio: { wall: ratio(tscAll.time, tscOts.time), cpu: ratio(tscAll.cpu, tscOts.cpu) },
    tscPairRatio: pairs,
  };
}

// 2. Scaling on synthetic contracts. Every run pays a fixed cost (start-up, loading Redocly,
// openapi-typescript and TypeScript, about 3 s of CPU) before its first operation; divided by the
// size it makes a large contract look cheaper per operation (0.55× at 10,000 against 1,000, all of
// it start-up shared by more operations). The cost per operation is therefore the cost of the
// operations added between two sizes (the slope), which the fixed cost cancels out of; the target
// compares it from 1,000 to 10,000 against the slope up to 1,000. On CPU, which load moves least.
if (ONLY.has('scaling')) {
  say('');
  say(`Synthetic contracts with 50 codes, ${RUNS} runs after a warm-up; errata's cache emptied before each run`);
  const runs: Record<number, Measured> = {};
  const scaling: Record<string, unknown> = {};
  for (const size of SIZES) {
    const dir = path.join(WORK, `synthetic-${size}`);
    mkdirSync(dir, { recursive: true });
    const spec = path.join(dir, 'openapi.json');
    writeFileSync(spec, JSON.stringify(syntheticContract(size)));
    const r = (runs[size] = repeat([NODE, ERRATA, 'generate', '--spec', spec, '--out', path.join(dir, 'generated')], ROOT, RUNS, cold));
    const perOp = { ms: (r.time.median / size) * 1000, cpuMs: (r.cpu.median / size) * 1000, kb: (r.rss.median * 1024) / size };
    scaling[size] = { ...r, msPerOperation: perOp.ms, cpuMsPerOperation: perOp.cpuMs, kbPerOperation: perOp.kb };
    say(line(`${size} operations`, `${fmt(r.time, 's')}, CPU ${fmt(r.cpu, 's')}, peak ${fmt(r.rss, 'MB', 0)}; with start-up ${perOp.ms.toFixed(2)} ms/op (CPU ${perOp.cpuMs.toFixed(2)}), ${perOp.kb.toFixed(1)} KB/op`));
  }
  // Milliseconds per operation added between consecutive sizes (wall and CPU).
  const slopes: Record<string, { ms: number; cpuMs: number }> = {};
  for (let i = 1; i < SIZES.length; i++) {
    const [a, b] = [SIZES[i - 1]!, SIZES[i]!];
    const slope = (f: (m: Measured) => number) => ((f(runs[b]!) - f(runs[a]!)) / (b - a)) * 1000;
    slopes[`${a}-${b}`] = { ms: slope((m) => m.time.median), cpuMs: slope((m) => m.cpu.median) };
  }
  if (Object.keys(slopes).length) say(line('ms per added operation (wall, CPU)', Object.entries(slopes).map(([k, v]) => `${k.replace('-', '→')}: ${v.ms.toFixed(2)}, ${v.cpuMs.toFixed(2)}`).join('; ')));
  const below = SIZES.filter((n) => n < 1000).pop();
  const upTo1000 = below === undefined ? undefined : slopes[`${below}-1000`];
  const upTo10000 = slopes['1000-10000'];
  if (upTo1000 && upTo10000) {
    json.scalingRatio = upTo10000.cpuMs / upTo1000.cpuMs;
    json.scalingRatioWall = upTo10000.ms / upTo1000.ms;
    say(line(`per-op cost, 1k→10k ÷ ${below}→1k (≤ 1.0×)`, `${(json.scalingRatio as number).toFixed(2)}× CPU, ${(json.scalingRatioWall as number).toFixed(2)}× wall`));
  } else if (runs[1000] && runs[10000]) {
    say(line('per-op cost 10,000 vs 1,000', 'needs a size below 1,000 too (--sizes 100,1000,10000): start-up must cancel out'));
  }
  if (runs[1000] && runs[10000]) json.scalingRatioWithStartup = runs[10000].time.median / 10000 / (runs[1000].time.median / 1000);
  json.marginalMsPerOperation = slopes;
  json.scaling = scaling;
}

// 3. Lint: Redocly recommended with and without errata's rules.
if (ONLY.has('lint')) {
  say('');
  // As published, errata's rules mostly report the missing contract; as an errata contract (codes
  // declared on every error response) they check every code, which is the cost a user pays.
  const published = await benchLint({ runs: RUNS, warmup: 1, spec: GITHUB_SPEC });
  say(formatLintBench(published));
  say('');
  const contract = await benchLint({ runs: RUNS, warmup: 1, spec: githubContract() });
  say(formatLintBench(contract));
  json.lint = { published, contract };
}

// 4. errata diff against planted error changes (bench/diff.ts).
if (ONLY.has('diff')) {
  say('');
  const { benchDiff, formatDiffBench } = await import('./diff');
  const result = await benchDiff({ contract: githubContract(), work: WORK, runs: RUNS, node: NODE, errata: ERRATA, root: ROOT });
  say(formatDiffBench(result, RUNS));
  json.diff = result;
}

// 5. The generated server helpers and client at run time, against hand-written code (bench/runtime.ts).
if (ONLY.has('runtime')) {
  say('');
  const { benchRuntime, formatRuntimeBench } = await import('./runtime');
  const sectionStarted = Date.now();
  // Many short pairs (benchRuntime's defaults: a second of autocannon a side, 200 client calls): a run on loopback is noisier
  // than a child process's CPU time, and short alternated rounds let drift in the machine's load
  // fall on both sides of each pair.
  const result = await benchRuntime({ runs: Math.max(RUNS * 5, 15) });
  say(formatRuntimeBench(result));
  say(line('section took', `${Math.round((Date.now() - sectionStarted) / 1000)} s`));
  json.runtime = result;
}

json.loadavgAtEnd = loadavg();
say(`\nload average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; the bench took ${Math.round((Date.now() - started) / 60000)} min`);
writeFileSync(path.join(RESULTS, 'bench.json'), `${JSON.stringify(json, null, 2)}\n`);
writeFileSync(path.join(RESULTS, 'bench.txt'), `${out.join('\n')}\n`);
say(`\nwrote ${path.relative(ROOT, path.join(RESULTS, 'bench.json'))}`);
