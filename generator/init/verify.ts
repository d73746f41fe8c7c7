import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContractError, UsageError, type SourceLocation } from '../errors';
import { displayPath } from '../load/locate';
import { guardReferences } from '../load/reference-guard';
import type { Todo } from './types';


export interface Remaining {
  generate: Todo[];
  lint: Todo[];
  /** Problems from Redocly's own rules (not errata's): the description had them before init. */
  redoclyOwn: number;
}

/** What `errata generate` and `errata lint`'s rules (Redocly's recommended plus errata's) still say. */
export async function verify(spec: string): Promise<Remaining> {
  const [generate, lint] = await Promise.all([generateProblems(spec), lintProblems(spec)]);
  return { generate, lint: lint.errata, redoclyOwn: lint.own };
}

async function generateProblems(spec: string): Promise<Todo[]> {
  const { generate } = await import('../generate');
  try {
    await generate(spec);
    return [];
  } catch (e) {
    if (e instanceof ContractError) return e.problems.map((p) => ({ message: `${p.message} (fix: ${p.fix})`, where: p.location ? [p.location] : [], count: 1 }));
    if (e instanceof UsageError) return [{ message: `${e.message} (fix: ${e.fix})`, where: e.location ? [e.location] : [], count: 1 }];
    return [{ message: `generate failed: ${(e as Error).message}`, where: [], count: 1 }];
  }
}

/**
 * errata's own rules plus Redocly's recommended ones, whatever the project's redocly.yaml says yet
 * (the report is about the contract), linted in this process by Redocly's library with the plugin
 * imported as a module: the same rules the CLI runs, without a Node start-up, a plugin build and
 * a JSON round trip per init. test/init/init.test.ts shows `redocly lint` agrees.
 */
async function lintProblems(spec: string): Promise<{ errata: Todo[]; own: number }> {
  // As `errata lint` does: Redocly's resolver follows any path and fetches http(s) `$ref`s, so it
  // starts only on a contract whose every file errata would read; otherwise the refusal is what
  // lint says.
  const refused = guardReferences(spec);
  if (refused.length > 0) return { errata: refused.map((p) => ({ message: `${p.message} (fix: ${p.fix})`, where: p.location ? [p.location] : [], count: 1 })), own: 0 };
  const [{ createConfig, getLineColLocation, lint }, { default: errataPlugin }] = await Promise.all([import('@redocly/openapi-core'), import('../lint/plugin')]);
  // A folder of errata's own for the config, as `errata lint` without a redocly.yaml has: no
  // project's ignore file applies, and relative rule options start nowhere in the project.
  const dir = mkdtempSync(path.join(tmpdir(), 'errata-verify-'));
  try {
    const config = await createConfig({ plugins: [errataPlugin({ contentDir: dir }) as never], extends: ['recommended', 'errata/all'] } as never, { configPath: path.join(dir, 'redocly.yaml') });
    const problems = await lint({ ref: path.resolve(spec), config });
    const errata: Todo[] = [];
    let own = 0;
    for (const p of problems) {
      if (!p.ruleId.startsWith('errata/')) {
        if (p.severity === 'error') own++;
        continue;
      }
      if (p.severity !== 'error') continue;
      const loc = p.location[0];
      const start = loc ? getLineColLocation(loc).start : undefined;
      const where: SourceLocation[] = loc
        ? [{ file: displayPath(path.resolve(loc.source.absoluteRef)), pointer: (loc.pointer ?? '#').replace(/^#/, ''), ...(start ? { line: start.line, column: start.col } : {}) }]
        : [];
      errata.push({ message: `${p.ruleId}: ${p.message}`, where, count: 1 });
    }
    return { errata, own };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
