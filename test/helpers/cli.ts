import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type ts from 'typescript';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ERRATA_BIN = path.join(ROOT, 'bin/errata.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `errata` bin (this checkout's, or `bin`) in a child process, as a user or CI would. */
export function errata(args: string[], cwd = ROOT, bin = ERRATA_BIN): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `errata` in this test process: `main()` of generator/cli.ts, which is all bin/errata.mjs
 * does besides setting the exit code, with the working directory set to `cwd` and stdout/stderr
 * captured. Much cheaper than spawning the bin (no new Node, no tsx, modules already loaded), for
 * tests that run many contracts; keep at least one spawn of the real bin per behaviour that
 * depends on it. openapi-typescript's thread stays loaded between calls, as `generate --watch`
 * keeps it between runs: started per run, as the one-shot CLI does, loading it costs a test
 * process more than the rest of a small contract's generation. Needs the `forks` pool
 * (`process.chdir` is not allowed in worker threads); calls are serialised, as the working
 * directory is the process's.
 */
export async function errataInProcess(args: string[], cwd = ROOT): Promise<CliResult> {
  const previous = inProcess;
  let release!: () => void;
  inProcess = new Promise((resolve) => (release = resolve));
  await previous;
  const [{ main }, { keepOpenapiTypes }] = await Promise.all([import('../../generator/cli'), import('../../generator/emit/openapi-types')]);
  // Again at every generate: a `generate --watch` test in this process stops the thread when it ends.
  if (args[0] === 'generate') await keepOpenapiTypes(true);
  const out = { stdout: '', stderr: '' };
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  const home = process.cwd();
  process.chdir(cwd);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out.stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((out.stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
    process.chdir(home);
    release();
  }
}
let inProcess: Promise<void> = Promise.resolve();

const temporary: string[] = [];
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory holding `files` (paths relative to it), removed when the test process exits. */
export function tempTree(files: Record<string, string>, prefix = 'errata-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporary.push(dir);
  for (const [rel, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), contents);
  }
  return dir;
}

/**
 * Type-checks `files` as `tsc --noEmit --strict --target ES2022 --module ESNext --moduleResolution
 * Bundler --skipLibCheck --types node ... files` would, and returns its diagnostics as tsc prints
 * them (`file(line,col): error TSxxxx: ...`, paths relative to `cwd`). `baseUrl` lets code
 * generated into a temporary directory find the packages it imports (openapi-fetch) the way it
 * would inside a project that installed them.
 *
 * It runs the repository's TypeScript compiler in-process (the same compiler and the same command
 * line, parsed by TypeScript itself) rather than spawning `tsc` for every check: declaration files
 * under node_modules (the standard library, @types/node, openapi-fetch) are parsed once per test
 * process and shared by every program, which is most of what a `tsc` run costs.
 */
export function typecheck(files: string[], cwd = ROOT, options: { only?: 'files'; except?: readonly string[] } = {}): TypecheckResult {
  return check(['--noEmit', '--strict', '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), '--baseUrl', path.join(ROOT, 'node_modules'), ...files.map((f) => path.resolve(cwd, f))], cwd, reportOf(files.map((f) => path.resolve(cwd, f)), options));
}

/** Type-checks the project of `tsconfig` as `tsc -p tsconfig` would (paths relative to its folder), in-process like `typecheck`. */
export function typecheckProject(tsconfig: string): TypecheckResult {
  return check(['--project', tsconfig], path.dirname(tsconfig));
}

/**
 * The `runtime/` folder of a generated output, for `typecheck`'s `except`, once it is known to be
 * what every output holds: a copy of errata's runtime/ (its own first lines aside, `.js` imports).
 * Its bodies do not depend on the contract; test/contracts.test.ts type-checks them whole (in
 * Picora's output), so a test of what one contract generates checks them only as its files use
 * them, which is most of a program's cost saved. Throws when the folder differs.
 */
export function runtimeCopy(out: string): string {
  const dir = path.join(out, 'runtime');
  const text = (file: string) => readFileSync(file, 'utf8').replace(/^(\/\/ (Generated by errata|A copy of errata's).*\n)+/, '').replace(/(from '\.\/[\w-]+)\.js'/g, "$1'");
  for (const name of readdirSync(dir)) {
    if (text(path.join(dir, name)) !== text(path.join(ROOT, 'runtime', name))) throw new Error(`${dir}/${name} is not a copy of runtime/${name}: type-check it whole`);
  }
  return dir;
}

export interface TypecheckResult {
  code: number;
  output: string;
  diagnostics: { file: string | undefined; text: string }[];
}

/**
 * Which files' diagnostics `typecheck` asks for: every file of the program (`undefined`), or only
 * the command line's own files (`only: 'files'`), or every file but those under the `except`
 * folders. A file left out is checked only as far as the reported ones need its types, not its
 * bodies: for a caller whose subject is its own files, when another test type-checks that code
 * whole.
 */
function reportOf(roots: readonly string[], options: { only?: 'files'; except?: readonly string[] }): ((fileName: string) => boolean) | undefined {
  if (options.only === 'files') {
    const own = new Set(roots);
    return (fileName) => own.has(path.resolve(fileName));
  }
  if (options.except) {
    const folders = options.except.map((d) => path.resolve(d) + path.sep);
    return (fileName) => !folders.some((d) => path.resolve(fileName).startsWith(d));
  }
  return undefined;
}

function check(args: string[], cwd: string, report?: (fileName: string) => boolean): TypecheckResult {
  // Loaded on first use: most test files never type-check, and the compiler is 9 MB of JavaScript.
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  let line = ts.parseCommandLine(args);
  if (line.errors.length > 0) throw new Error(ts.formatDiagnostics(line.errors, formatHost(cwd)));
  if (line.options.project !== undefined) {
    const parsed = ts.getParsedCommandLineOfConfigFile(line.options.project, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.formatDiagnostics([d], formatHost(cwd))); } });
    if (!parsed) throw new Error(`cannot read ${line.options.project}`);
    if (parsed.errors.length > 0) throw new Error(ts.formatDiagnostics(parsed.errors, formatHost(cwd)));
    line = parsed;
  }
  const program = ts.createProgram(line.fileNames, line.options, declarationSharingHost(ts, line.options));
  const diagnostics = report ? ts.sortAndDeduplicateDiagnostics(program.getSourceFiles().filter((f) => report(f.fileName)).flatMap((f) => ts.getPreEmitDiagnostics(program, f))) : ts.getPreEmitDiagnostics(program);
  const each = diagnostics.map((d) => ({ file: d.file?.fileName, text: ts.formatDiagnostics([d], formatHost(cwd)) }));
  return { code: diagnostics.length > 0 ? 2 : 0, output: each.map((d) => d.text).join(''), diagnostics: each };
}

/**
 * A compiler host that parses each file `shared` says may be shared once per test process, in
 * `cache`, keyed as TypeScript's DocumentRegistry keys files it shares across programs (file name,
 * language version and module format). Only files no test changes may be shared.
 */
export function sharingHost(typescript: typeof ts, options: ts.CompilerOptions, cache: Map<string, ts.SourceFile>, shared: (fileName: string) => boolean): ts.CompilerHost {
  const host = typescript.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, onError, fresh) => {
    if (!shared(fileName)) return read(fileName, version, onError, fresh);
    const key = `${fileName}\0${JSON.stringify(version)}`;
    let file = cache.get(key);
    if (!file) {
      file = read(fileName, version, onError, fresh);
      if (file) cache.set(key, file);
    }
    return file;
  };
  return host;
}

/** Parsed declaration files from node_modules, which no test changes, shared by every `typecheck`. */
const sharedDeclarations = new Map<string, ts.SourceFile>();

/**
 * The compiler host `typecheck` uses, for a test that builds its own program: files under a
 * node_modules folder (the standard library, packages' declarations) parsed once per test process.
 */
export function declarationSharingHost(typescript: typeof ts, options: ts.CompilerOptions): ts.CompilerHost {
  return sharingHost(typescript, options, sharedDeclarations, (fileName) => fileName.includes(`${path.sep}node_modules${path.sep}`));
}

function formatHost(cwd: string): import('typescript').FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => cwd, getNewLine: () => '\n' };
}
