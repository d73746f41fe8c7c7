import { UsageError } from '../errors';
import { lineText } from '../model/escape';
import { diff, failsAt } from './index';
import { FORMATS, render, type Format } from './format';
import { checkFailOn, parseRuleFlags, policy, readPolicyFile } from './policy';
import { RULES } from './rules';

export interface DiffFlags {
  format?: string;
  failOn?: string;
  rule?: readonly string[];
  config?: string;
  rules?: boolean;
  validate?: boolean;
}

/** `errata diff <old> <new>`: 0 nothing at or above --fail-on, 1 something is, 2 bad input. */
export async function diffCommand(positionals: readonly string[], flags: DiffFlags): Promise<number> {
  if (flags.rules) {
    process.stdout.write(`${RULES.map((r) => `${r.id.padEnd(28)} ${r.level.padEnd(8)} ${r.why}`).join('\n')}\n`);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`errata diff takes two contracts, old and new; got ${positionals.length}`, 'run errata diff main:openapi/openapi.yaml openapi/openapi.yaml');
  }
  const format = (flags.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(flags.format)}`, `use one of: ${FORMATS.join(', ')}`);
  const file = flags.config ? readPolicyFile(flags.config) : undefined;
  const failOn = checkFailOn(flags.failOn ?? file?.failOn ?? 'breaking');
  const rules = { ...policy(file?.rules, flags.config ?? '--rule'), ...policy(parseRuleFlags(flags.rule ?? []), '--rule') };
  const result = await diff(positionals[0]!, positionals[1]!, { rules, validate: flags.validate === true });
  process.stdout.write(render(result, format));
  const fails = failOn !== 'none' && failsAt(result, failOn);
  if (fails && format !== 'text') process.stderr.write(`errata: ${lineText(result.new, 'terminal')} has ${failOn === 'breaking' ? 'breaking' : `${failOn}-level or worse`} error-contract changes\n`);
  return fails ? 1 : 0;
}
