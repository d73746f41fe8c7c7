import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { typecheck } from './cli';

interface Rule {
  statuses: number[];
  meta: boolean;
  retryAfter: boolean;
}

/**
 * Builder inputs are types derived by `ErrorInputs`, and the guard's rules are computed at run time
 * by `operationRules`: two implementations of one rule set. This writes a file next to `generated/`
 * that calls every builder with every declared code in each way its run-time rule allows, and, under
 * `@ts-expect-error`, each way it forbids (an undeclared status, a missing status, meta or
 * Retry-After). It compiles cleanly exactly when the two agree.
 */
export function checkRuleParity(dir: string, rules: Record<string, Record<string, Rule>>): { code: number; output: string; calls: number } {
  const lines = [`import { errors } from './generated/server';`, `const meta = null as never;`];
  let calls = 0;
  for (const [op, codes] of Object.entries(rules)) {
    for (const [code, rule] of Object.entries(codes)) {
      const call = (fields: string[], allowed: boolean, why: string) => {
        if (!allowed) lines.push(`// @ts-expect-error ${why}`);
        lines.push(`errors[${JSON.stringify(op)}]({ code: ${JSON.stringify(code)}${fields.map((f) => `, ${f}`).join('')} });`);
        calls++;
      };
      for (const status of rule.statuses) call([`status: ${status}`, 'meta', 'retryAfter: 1'], true, '');
      call(['status: 999', 'meta', 'retryAfter: 1'], false, 'undeclared status');
      call(['meta', 'retryAfter: 1'], rule.statuses.length === 1, 'several statuses: status required');
      const first = rule.statuses[0];
      if (first === undefined) continue;
      call([`status: ${first}`, 'retryAfter: 1'], !rule.meta, 'meta required');
      call([`status: ${first}`, 'meta'], !rule.retryAfter, 'Retry-After required');
    }
  }
  const file = path.join(dir, 'rule-parity.ts');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { ...typecheck([file], dir), calls };
}
