/**
 * Generated output of fixture contracts, made by `errata generate` once per test run.
 *
 * `generated(contract)` returns a private copy of the output folder (in a fresh temporary
 * directory, removed when the test process exits), so a test may write files next to it
 * (`path.dirname(out)`) or import from it without affecting any other test. The first call for a
 * given input runs the CLI's own `main` in the calling test process (`errataInProcess`: the bin only
 * adds the exit code, and a Node start-up plus loading the generator again cost several times the
 * generation itself); later calls, from any test file or worker of the same run, copy the cached
 * result from the run folder that test/setup/global.ts provides. Tests whose subject is the bin
 * spawn it themselves. The cache key is the content of every file of the contract (the spec's
 * folder, or the `files` given) plus the extra CLI arguments, so two tests share output only when
 * they would have generated the same bytes.
 *
 *   const out = await generated({ spec: 'test/fixtures/nested-error/openapi.yaml' });
 *   const out = await generated({ files: miniContract(), spec: 'openapi.yaml' }, ['--no-validate']);
 */
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { Origin } from '../../generator/emit/output-options';
import { ROOT, errataInProcess, tempTree } from './cli';
import { runCached } from './run-cache';

export type Contract =
  /** A contract in the repository (path relative to the repository root, or absolute); its folder is hashed. */
  | { spec: string }
  /** A contract made of `files` (relative paths) whose root document is `spec` (default `openapi.yaml`). */
  | { files: Record<string, string>; spec?: string };

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const file = path.join(d.parentPath, d.name);
    out[path.relative(dir, file)] = readFileSync(file, 'utf8');
  }
  return out;
}

/**
 * Writes a copy of the contract into a fresh folder; returns that folder and the root document's
 * path relative to it. The CLI runs there (`--spec openapi.yaml --out generated`), as in a user's
 * project, so the headers name the same contract and command whatever temp folder it ran in.
 */
function materialise(contract: Contract): { dir: string; spec: string } {
  if ('files' in contract) return { dir: tempTree(contract.files, 'errata-contract-'), spec: contract.spec ?? 'openapi.yaml' };
  const spec = path.resolve(ROOT, contract.spec);
  return { dir: tempTree(filesOf(path.dirname(spec)), 'errata-contract-'), spec: path.basename(spec) };
}

/**
 * The origin the CLI records for a contract generated as `cachedOutput` does, for tests that run
 * the pipeline in-process and compare its bytes with the CLI's.
 */
export function cliOrigin(contract: Contract): Origin {
  const spec = 'files' in contract ? (contract.spec ?? 'openapi.yaml') : path.basename(contract.spec);
  return { spec, command: `npx errata generate --spec ${spec} --out generated` };
}

function keyOf(contract: Contract, args: string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(args));
  if ('files' in contract) {
    hash.update(JSON.stringify([contract.spec ?? 'openapi.yaml', Object.entries(contract.files).sort()]));
  } else {
    const spec = path.resolve(ROOT, contract.spec);
    hash.update(JSON.stringify([path.basename(spec), Object.entries(filesOf(path.dirname(spec))).sort()]));
  }
  return hash.digest('hex').slice(0, 32);
}

/** The cached output folder of `contract` for this run (generating it on first use). Never write into it. */
export async function cachedOutput(contract: Contract, args: string[] = []): Promise<string> {
  return runCached(path.join('generated', keyOf(contract, args)), async (staging) => {
    const { dir, spec } = materialise(contract);
    const r = await errataInProcess(['generate', ...args, '--spec', spec, '--out', 'generated'], dir);
    if (r.code !== 0) throw new Error(`errata generate failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    cpSync(path.join(dir, 'generated'), staging, { recursive: true });
  });
}

/**
 * A private copy of `contract`'s generated output: `<fresh temp dir>/generated`. With
 * `{ nodeModules: true }` the temp dir also links the repository's node_modules, as a consumer's
 * project would have openapi-fetch installed for the generated client.
 */
export async function generated(contract: Contract, args: string[] = [], options: { nodeModules?: boolean } = {}): Promise<string> {
  const dir = tempTree({}, 'errata-out-');
  const out = path.join(dir, 'generated');
  cpSync(await cachedOutput(contract, args), out, { recursive: true });
  if (options.nodeModules) symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return out;
}
