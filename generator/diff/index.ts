import { readFileSync } from 'node:fs';
import { ContractError, UsageError, formatProblem, type SourceLocation } from '../errors';
import { displayPath } from '../load/locate';
import { jsonOffsets, lineColumns } from './locate-json';
import { loadContract } from '../load/load-contract';
import { buildModel } from '../model';
import { toPointer } from '../model/pointer';
import type { ErrorContract } from '../model/types';
import { policy as checkPolicy } from './policy';
import { RULES } from './rules';
import { openSide, type SideSource } from './source';
import type { Change, Finding, Level, PolicyLevel, Rule, Side, Subjects } from './types';
import { operationViews } from './view';

export type { Change, Level, Place, PolicyLevel, Rule } from './types';
export { RULES } from './rules';

export interface DiffOptions {
  /** Rule id → level (`breaking`, `warning`, `safe`, or `off` to drop the rule's changes). */
  rules?: Readonly<Record<string, PolicyLevel>>;
  /** Where relative paths and `<rev>:./path` resolve, and git runs; default the process's. */
  cwd?: string;
  /** Also validate each side against the OpenAPI 3.1 schema (slower; the model's own checks always run). */
  validate?: boolean;
}

export interface DiffResult {
  old: string;
  new: string;
  /** Every change, breaking first, then warning, then safe; within a level in rule order. */
  changes: Change[];
  counts: Record<Level, number>;
}

const ORDER: Record<Level, number> = { breaking: 0, warning: 1, safe: 2 };

/**
 * Compares two error contracts as a client generated from `oldSpec` would meet a server built
 * from `newSpec`. Each side is a contract path or `<git-rev>:<path>`. Throws UsageError when a side
 * cannot be read, is not a valid errata contract, or the two encode codes differently.
 */
export async function diff(oldSpec: string, newSpec: string, options: DiffOptions = {}): Promise<DiffResult> {
  const levels = checkPolicy(options.rules ?? {}, 'rules');
  const sources: SideSource[] = [];
  try {
    const [before, after] = await Promise.all(
      (['old', 'new'] as const).map(async (which, i) => {
        const source = openSide(i === 0 ? oldSpec : newSpec, options.cwd);
        sources.push(source);
        return readSide(source, which, options.validate === true);
      }),
    );
    return compare(before!, after!, levels);
  } finally {
    for (const s of sources) s.dispose();
  }
}

async function readSide(source: SideSource, which: 'old' | 'new', validate: boolean): Promise<Side> {
  try {
    const contract = await loadContract(source.file, { validate });
    const model = buildModel(contract);
    return {
      label: source.label,
      model,
      document: contract.document,
      locate(pointers) {
        // A one-file JSON contract is located by scanning its text; anything else (and any
        // pointer the scan cannot place) by the loader's locator, which replays `$ref`s.
        const json = source.files === 1 && /\.json$/i.test(source.file) ? readFileSync(source.file, 'utf8') : undefined;
        const offsets = json === undefined ? new Map<string, number>() : jsonOffsets(json, pointers);
        const positions = json === undefined ? new Map() : lineColumns(json, offsets.values());
        return new Map(
          pointers.map((p) => {
            const offset = offsets.get(p);
            const location = offset === undefined ? contract.locator.locate(p) : { file: displayPath(source.file), pointer: p, ...positions.get(offset) };
            return [p, source.display(location)];
          }),
        );
      },
    };
  } catch (e) {
    // Either side failing is bad input for a diff (exit 2), however the loader classes it.
    if (e instanceof ContractError) {
      const problems = e.problems.map((p) => formatProblem({ ...p, location: source.display(p.location) }));
      throw new UsageError(`the ${which} contract ${source.label} is not a valid errata contract (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}`, `fix the ${which} contract as each problem says; errata lint reports the same problems`);
    }
    if (e instanceof UsageError) throw new UsageError(`the ${which} contract ${source.label}: ${e.message}`, e.fix, source.display(e.location));
    throw e;
  }
}

/**
 * Codes are only comparable when both sides put them in the same place of a body under the same
 * envelope: otherwise every code a client reads changes meaning at once, which no per-code
 * classification describes.
 */
function checkComparable(old: ErrorContract, next: ErrorContract, locate: (side: 'old' | 'new') => SourceLocation | undefined): void {
  const [a, b] = [toPointer(old.envelope.code), toPointer(next.envelope.code)];
  if (a !== b) {
    const at = locate('new');
    throw new UsageError(
      `the two contracts have different error envelopes: the code is at ${a || '(body)'} in the old one and at ${b || '(body)'} in the new one, so no code can be compared (every client generated from the old contract reads no code at all)`,
      'diff contracts that share the envelope; moving the code is a new major version of the error contract, announce it as such',
      at,
    );
  }
}

function compare(old: Side, next: Side, levels: Readonly<Record<string, PolicyLevel>>): DiffResult {
  checkComparable(old.model, next.model, (side) => (side === 'old' ? old : next).locate(['/x-errata/envelope/code']).get('/x-errata/envelope/code'));
  const pair = { old, new: next };
  const views = { old: operationViews(old), new: operationViews(next) };
  // Codes answered by operations both sides have: elsewhere a code reaches no client of the other side.
  const returned = (v: typeof views.old, other: typeof views.old) => new Set([...v].filter(([k]) => other.has(k)).flatMap(([, o]) => [...o.codes.keys()]));
  const subjects: { [S in keyof Subjects]: Subjects[S][] } = {
    contract: [pair],
    catalog: [{ ...pair, returned: { old: returned(views.old, views.new), new: returned(views.new, views.old) } }],
    code: (() => {
      const after = new Map(next.model.codes.map((c) => [c.code, c]));
      return old.model.codes.filter((c) => after.has(c.code)).map((before) => ({ ...pair, before, after: after.get(before.code)! }));
    })(),
    operation: [...views.old].filter(([k]) => views.new.has(k)).map(([k, before]) => ({ ...pair, before, after: views.new.get(k)! })),
  };
  const found: { rule: Rule; level: Level; finding: Finding }[] = [];
  RULES.forEach((rule) => {
    const level = levels[rule.id] ?? rule.level;
    if (level === 'off') return;
    for (const subject of subjects[rule.subject]) {
      for (const finding of (rule as Rule<typeof rule.subject>).check(subject as never)) found.push({ rule, level, finding });
    }
  });
  const places = {
    old: old.locate([...new Set(found.flatMap((f) => f.finding.old ?? []))]),
    new: next.locate([...new Set(found.flatMap((f) => f.finding.new ?? []))]),
  };
  const changes = found.map(({ rule, level, finding }) => toChange(rule, level, finding, places));
  // Stable: within a level, rule order and then the order each rule found them in.
  changes.sort((x, y) => ORDER[x.level] - ORDER[y.level]);
  const counts = { breaking: 0, warning: 0, safe: 0 };
  for (const c of changes) counts[c.level]++;
  return { old: old.label, new: next.label, changes, counts };
}

function toChange(rule: Rule, level: Level, f: Finding, places: Record<'old' | 'new', Map<string, SourceLocation | undefined>>): Change {
  const place = (side: 'old' | 'new', pointer: string | undefined) => (pointer === undefined ? undefined : { pointer, ...withLocation(places[side].get(pointer)) });
  return {
    rule: rule.id,
    level,
    message: f.message,
    ...(f.code !== undefined ? { code: f.code } : {}),
    ...(f.operation !== undefined ? { operation: f.operation } : {}),
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.old !== undefined ? { old: place('old', f.old)! } : {}),
    ...(f.new !== undefined ? { new: place('new', f.new)! } : {}),
  };
}

function withLocation(location: SourceLocation | undefined) {
  return location ? { location } : {};
}

/** Whether the result has a change at or above `level` (what `--fail-on` checks). */
export function failsAt(result: DiffResult, level: Level): boolean {
  return result.changes.some((c) => ORDER[c.level] <= ORDER[level]);
}
