import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors';
import { isRecord } from '../model/resolve';
import { suggestCodes } from '../model/names';
import { RULES } from './rules';
import { LEVELS, type Level, type PolicyLevel } from './types';

const POLICY_LEVELS: readonly PolicyLevel[] = [...LEVELS, 'off'];

/** Rule id → level, as oasdiff's severity levels: every rule at its default unless named. */
export type Policy = Readonly<Record<string, PolicyLevel>>;

export function checkLevel(value: unknown, where: string): PolicyLevel {
  if (typeof value === 'string' && (POLICY_LEVELS as readonly string[]).includes(value)) return value as PolicyLevel;
  throw new UsageError(`${where}: ${JSON.stringify(value)} is not a level`, `use one of: ${POLICY_LEVELS.join(', ')}`);
}

/** `none`: report only, exit 0 whatever changed. */
export type FailOn = Level | 'none';

export function checkFailOn(value: unknown): FailOn {
  if (value === 'breaking' || value === 'warning' || value === 'safe' || value === 'none') return value;
  throw new UsageError(`--fail-on ${JSON.stringify(value)} is not a level`, 'use --fail-on breaking (default), warning, safe or none (report only)');
}

/** Validates rule ids and levels, so a typo fails the run instead of silently changing nothing. */
export function policy(overrides: Readonly<Record<string, unknown>> = {}, where = '--rule'): Policy {
  const ids = RULES.map((r) => r.id);
  const out: Record<string, PolicyLevel> = {};
  for (const [id, level] of Object.entries(overrides)) {
    if (!ids.includes(id)) {
      const snake = (s: string) => s.toUpperCase().replace(/-/g, '_');
      const near = suggestCodes(snake(id), ids.map(snake)).map((s) => s.toLowerCase().replace(/_/g, '-'));
      throw new UsageError(`${where}: unknown rule ${JSON.stringify(id)}`, near.length ? `did you mean ${near.join(' or ')}? (errata diff --rules lists them)` : 'errata diff --rules lists the rule ids');
    }
    out[id] = checkLevel(level, `${where} ${id}`);
  }
  return out;
}

/** `--rule id=level`, repeated. */
export function parseRuleFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const m = /^([^=]+)=(.*)$/.exec(flag);
    if (!m) throw new UsageError(`--rule ${JSON.stringify(flag)} is not id=level`, 'write --rule code-added=breaking');
    out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

/** A policy file: `{ "rules": { "code-added": "breaking" }, "failOn": "warning" }` (JSON or YAML). */
export function readPolicyFile(file: string): { rules: Record<string, unknown>; failOn?: FailOn } {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the diff policy ${file}: ${(e as Error).message.split('\n')[0]}`, 'give a JSON or YAML file like { "rules": { "code-added": "breaking" } }');
  }
  if (!isRecord(doc) || (doc.rules !== undefined && !isRecord(doc.rules))) {
    throw new UsageError(`the diff policy ${file} must be an object with \`rules\` (rule id → level)`, 'write { "rules": { "code-added": "breaking" } }');
  }
  const unknown = Object.keys(doc).filter((k) => k !== 'rules' && k !== 'failOn');
  if (unknown.length) throw new UsageError(`the diff policy ${file} has unknown key ${JSON.stringify(unknown[0])}`, 'use `rules` and `failOn`');
  return { rules: (doc.rules ?? {}) as Record<string, unknown>, ...(doc.failOn !== undefined ? { failOn: checkFailOn(doc.failOn) } : {}) };
}
