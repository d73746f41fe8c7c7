/**
 * `errata diff` on GitHub's REST description (as github-contract.ts converts it) against a copy
 * with 50 error-contract changes planted at random (seeded, so every run plants the same ones).
 * Reports the diff's time next to one `errata generate` of the same contract (target: at most
 * that), and precision and recall of the planted changes: each planted change names the changes
 * the diff must report for it, and anything else it reports counts against precision.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { diff } from '../generator/diff';
import { fmt, repeatPair, type Measured } from './measure';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SPARE_STATUSES = [400, 401, 402, 403, 404, 405, 406, 409, 410, 412, 413, 422, 429];

/** mulberry32: small, seeded, good enough to pick planting spots. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planted {
  kind: string;
  /** `rule|operation|code` of every change the diff must report for it. */
  expect: string[];
}

const key = (rule: string, operation = '', code = '') => `${rule}|${operation}|${code}`;

/** The codes an error response of `doc` lists (a shared one through its component). */
function codesOf(doc: Json, response: Json): string[] {
  const r = typeof response.$ref === 'string' ? doc.components.responses[response.$ref.split('/').pop()!] : response;
  return r?.['x-errata-codes'] ?? [];
}

export function plantChanges(original: Json, count: number, seed: number): { doc: Json; planted: Planted[] } {
  const doc: Json = structuredClone(original);
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const codes = doc['x-errata'].catalog.codes as Record<string, { status: number[]; retry: string; description: string; category?: string }>;
  // A catalog entry's `status` is one status or a list; plants read and extend it as a list.
  for (const entry of Object.values(codes)) entry.status = [entry.status].flat();
  const ops: { id: string; op: Json }[] = [];
  for (const item of Object.values<Json>(doc.paths)) for (const m of METHODS) if (item[m]?.responses && item[m].operationId) ops.push({ id: item[m].operationId, op: item[m] });
  // A planted code is filed under the category of a code with its status class (errata refuses a
  // code without a declared category).
  const categoryFor = (status: number) =>
    Object.values(codes).find((c) => c.category && c.status.some((s) => Math.floor(s / 100) === Math.floor(status / 100)))?.category ?? doc['x-errata'].catalog.categories?.[0]?.id;
  const usedOps = new Set<string>();
  // Codes whose catalog entry a plant changes are kept apart from codes a plant adds to operations,
  // so no two plants interact (a retry change would turn an added code into code-added-retried).
  const catalogCodes = new Set<string>();
  const addedCodes = new Set<string>();
  const planted: Planted[] = [];
  const freeOp = () => {
    for (let tries = 0; tries < 1000; tries++) {
      const o = pick(ops);
      if (!usedOps.has(o.id)) return usedOps.add(o.id), o;
    }
    throw new Error('no free operation left to plant in');
  };
  const errorKeys = (op: Json) => Object.keys(op.responses).filter((s) => Number(s) >= 400);
  /**
   * A 4xx key of `op` whose one code the operation lists nowhere else. Never a 5xx: every operation
   * declares the internal code under its 500 (errata refuses a contract that does not), and no
   * spare 5xx status is there to move a code to.
   */
  const soleKey = (op: Json) => errorKeys(op).filter((s) => Number(s) < 500).find((s) => {
    const cs = codesOf(doc, op.responses[s]);
    return cs.length === 1 && errorKeys(op).filter((t) => codesOf(doc, op.responses[t]).includes(cs[0]!)).length === 1 && !catalogCodes.has(cs[0]!);
  });

  const kinds: Record<string, () => Planted | undefined> = {
    'code-added': () => {
      const { id, op } = freeOp();
      const status = pick(SPARE_STATUSES.filter((s) => !(String(s) in op.responses)));
      const candidates = Object.keys(codes).filter((c) => codes[c]!.status.includes(status) && !catalogCodes.has(c));
      if (!candidates.length) return undefined;
      const code = pick(candidates);
      addedCodes.add(code);
      op.responses[String(status)] = { description: 'Planted.', 'x-errata-codes': [code] };
      return { kind: 'code-added', expect: [key('code-added', id, code), key('error-status-added', id)] };
    },
    'code-removed': () => {
      const { id, op } = freeOp();
      const s = soleKey(op);
      if (!s) return undefined;
      const [code] = codesOf(doc, op.responses[s]);
      // The response goes with its code: errata refuses an error response that lists no code.
      delete op.responses[s];
      return { kind: 'code-removed', expect: [key('code-removed', id, code), key('error-status-removed', id)] };
    },
    'code-status-changed': () => {
      const { id, op } = freeOp();
      const s = soleKey(op);
      if (!s) return undefined;
      const [code] = codesOf(doc, op.responses[s]) as [string];
      const spare = SPARE_STATUSES.filter((t) => !(String(t) in op.responses) && Math.floor(t / 100) === Math.floor(Number(s) / 100));
      if (!spare.length) return undefined;
      const to = pick(spare);
      delete op.responses[s];
      op.responses[String(to)] = { description: 'Planted: moved.', 'x-errata-codes': [code] };
      if (!codes[code]!.status.includes(to)) codes[code]!.status = [...codes[code]!.status, to].sort();
      catalogCodes.add(code);
      return { kind: 'code-status-changed', expect: [key('code-status-changed', id, code), key('error-status-added', id), key('error-status-removed', id)] };
    },
    'code-renamed': () => {
      const { id, op } = freeOp();
      const s = soleKey(op);
      if (!s) return undefined;
      const renamed = `PLANTED_${planted.length}`;
      codes[renamed] = { status: [Number(s)], category: categoryFor(Number(s)), retry: 'none', description: 'Planted rename.' };
      op.responses[s] = { description: 'Planted: renamed code.', 'x-errata-codes': [renamed] };
      return { kind: 'code-renamed', expect: [key('code-renamed', id, renamed)] };
    },
    'retry-disallowed': () => {
      // A code without `retry` already means none (the catalog's default): only a retried code can be disallowed.
      const code = Object.keys(codes).find((c) => (codes[c]!.retry ?? 'none') !== 'none' && !catalogCodes.has(c) && !addedCodes.has(c));
      if (!code) return undefined;
      catalogCodes.add(code);
      codes[code]!.retry = 'none';
      return { kind: 'retry-disallowed', expect: [key('retry-disallowed', '', code)] };
    },
    'code-text-changed': () => {
      const code = pick(Object.keys(codes).filter((c) => !catalogCodes.has(c) && !addedCodes.has(c) && !c.startsWith('PLANTED_')));
      if (!code) return undefined;
      catalogCodes.add(code);
      codes[code]!.description += ' (Planted: reworded.)';
      return { kind: 'code-text-changed', expect: [key('code-text-changed', '', code)] };
    },
    'catalog-code-added': () => {
      const code = `PLANTED_UNUSED_${planted.length}`;
      const status = pick(SPARE_STATUSES);
      codes[code] = { status: [status], category: categoryFor(status), retry: 'none', description: 'Planted, returned by nothing yet.' };
      catalogCodes.add(code);
      return { kind: 'catalog-code-added', expect: [key('catalog-code-added', '', code)] };
    },
  };
  const names = Object.keys(kinds);
  for (let tries = 0; planted.length < count && tries < count * 20; tries++) {
    const p = kinds[pick(names)]!();
    if (p) planted.push(p);
  }
  if (planted.length < count) throw new Error(`planted only ${planted.length} of ${count} changes`);
  return { doc, planted };
}

export interface DiffBench {
  planted: number;
  byKind: Record<string, number>;
  reported: number;
  precision: number;
  recall: number;
  missed: string[];
  unexpected: string[];
  diff: Measured;
  generate: Measured;
  ratio: number;
}

export async function benchDiff(opts: { contract: string; work: string; runs: number; node: string; errata: string; root: string }): Promise<DiffBench> {
  const { readFileSync } = await import('node:fs');
  const original = JSON.parse(readFileSync(opts.contract, 'utf8')) as Json;
  const { doc, planted } = plantChanges(original, 50, 16);
  const changed = path.join(opts.work, 'github-planted.openapi.json');
  writeFileSync(changed, JSON.stringify(doc));

  const result = await diff(opts.contract, changed);
  const reported = result.changes.map((c) => key(c.rule, c.operation, c.rule.startsWith('error-status') || c.rule.startsWith('operation') ? '' : c.code));
  const expected = new Set(planted.flatMap((p) => p.expect));
  const found = new Set(reported);
  const unexpected = reported.filter((k) => !expected.has(k));
  const missed = planted.filter((p) => !p.expect.every((k) => found.has(k))).map((p) => `${p.kind}: ${p.expect.filter((k) => !found.has(k)).join(', ')}`);
  const [d, g] = repeatPair(
    { cmd: [opts.node, opts.errata, 'diff', opts.contract, changed, '--format', 'json', '--fail-on', 'none'], cwd: opts.root },
    { cmd: [opts.node, opts.errata, 'generate', '--spec', changed, '--out', path.join(opts.work, 'github-planted-generated')], cwd: opts.root },
    opts.runs,
  );
  const byKind: Record<string, number> = {};
  for (const p of planted) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
  return {
    planted: planted.length,
    byKind,
    reported: reported.length,
    precision: reported.length ? (reported.length - unexpected.length) / reported.length : 1,
    recall: (planted.length - missed.length) / planted.length,
    missed,
    unexpected,
    diff: d,
    generate: g,
    ratio: d.time.median / g.time.median,
  };
}

export function formatDiffBench(b: DiffBench, runs: number): string {
  const line = (label: string, value: string) => `  ${label.padEnd(44)} ${value}`;
  return [
    `errata diff: GitHub REST description against a copy with ${b.planted} planted error changes (seeded), ${runs} runs after a warm-up`,
    line('planted', Object.entries(b.byKind).map(([k, n]) => `${k} ${n}`).join(', ')),
    line('errata diff', `${fmt(b.diff.time, 's')}, CPU ${fmt(b.diff.cpu, 's')}, peak ${fmt(b.diff.rss, 'MB', 0)}`),
    line('errata generate (the changed contract)', `${fmt(b.generate.time, 's')}, CPU ${fmt(b.generate.cpu, 's')}, peak ${fmt(b.generate.rss, 'MB', 0)}`),
    line('ratio diff ÷ generate (target ≤ 1×)', `${b.ratio.toFixed(2)}× wall`),
    line('precision (reported changes that were planted)', `${(b.precision * 100).toFixed(1)}% of ${b.reported}`),
    line('recall (planted changes reported in full)', `${(b.recall * 100).toFixed(1)}% of ${b.planted}`),
    ...b.missed.map((m) => line('  missed', m)),
    ...b.unexpected.slice(0, 10).map((u) => line('  unexpected', u)),
  ].join('\n');
}
