import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ContractError, UsageError, type SourceLocation } from '../errors';
import { displayPath } from '../load/locate';
import type { Todo } from './types';


export interface Remaining {
  generate: Todo[];
  lint: Todo[];
  /** Problems from Redocly's own rules (not errata's): the description had them before init. */
  redoclyOwn: number;
}

/** What `errata generate` (in process) and `errata lint` (the real Redocly CLI) still say. */
export async function verify(spec: string, options: { timeoutMs?: number } = {}): Promise<Remaining> {
  const [generate, lint] = await Promise.all([generateProblems(spec), lintProblems(spec, options.timeoutMs ?? 900_000)]);
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

interface RedoclyProblem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { source?: { ref?: string }; pointer?: string; start?: { line: number; col: number } }[];
}

async function lintProblems(spec: string, timeoutMs: number): Promise<{ errata: Todo[]; own: number }> {
  // errata's own rules, whatever the project's redocly.yaml says yet: the report is about the contract.
  const { errataConfig } = await import('../lint/command');
  const config = await errataConfig();
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'lint', spec, '--config', config, '--format', 'json', '--max-problems', '10000'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
  let parsed: { problems?: RedoclyProblem[] };
  try {
    parsed = JSON.parse(out.slice(out.indexOf('{')));
  } catch {
    return { errata: [{ message: 'errata lint did not answer (timed out or crashed)', where: [], count: 1 }], own: 0 };
  }
  const errata: Todo[] = [];
  let own = 0;
  for (const p of parsed.problems ?? []) {
    if (!p.ruleId.startsWith('errata/')) {
      if (p.severity === 'error') own++;
      continue;
    }
    if (p.severity !== 'error') continue;
    const loc = p.location?.[0];
    const where: SourceLocation[] = loc?.source?.ref
      ? [{ file: displayPath(path.resolve(loc.source.ref)), pointer: (loc.pointer ?? '#').replace(/^#/, ''), ...(loc.start ? { line: loc.start.line, column: loc.start.col } : {}) }]
      : [];
    errata.push({ message: `${p.ruleId}: ${p.message}`, where, count: 1 });
  }
  return { errata, own };
}
