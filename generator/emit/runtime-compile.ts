import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { withImportExtension } from './output-options';

/** The runtime files generated code imports (not the adapters: those come from the package). */
export const RUNTIME_MODULES = ['codec', 'schema-check', 'server', 'client'] as const;
export type RuntimeModule = (typeof RUNTIME_MODULES)[number];

/** One runtime module as generated/ gets it: JavaScript, and the declarations a consumer's tsc reads. */
export interface CompiledModule {
  js: string;
  dts: string;
}
export type CompiledRuntime = Record<RuntimeModule, CompiledModule>;

// How the runtime is compiled. The declarations are what a consumer's `tsc` reads instead of
// checking the runtime's bodies (with skipLibCheck, as most projects run, not at all).
const OPTIONS = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  lib: ['es2023', 'dom', 'dom.iterable'],
  types: [],
  strict: true,
  declaration: true,
  removeComments: false,
  skipLibCheck: true,
  isolatedModules: true,
  newLine: 'lf',
} as const;

const require = createRequire(import.meta.url);
const typescriptVersion = (): string => (require('typescript/package.json') as { version: string }).version;

/**
 * What compiled output depends on: the sources, the compiler's version and its options. The copy in
 * templates/runtime/ is used only while its fingerprint matches (scripts/runtime-templates.mjs).
 */
export function runtimeFingerprint(sources: Record<RuntimeModule, string>): string {
  const hash = createHash('sha256').update(JSON.stringify({ typescript: typescriptVersion(), options: OPTIONS }));
  for (const name of RUNTIME_MODULES) hash.update(`\0${name}\0${sources[name]}`);
  return hash.digest('hex');
}

/**
 * Compiles the runtime's sources (`runtime/<name>.ts` in `dir`) to JavaScript and declarations,
 * in memory, with every relative import given its `.js`. Fails on any type error: the runtime is
 * checked with the repository, so one here means the sources and the compiler disagree.
 */
export function compileRuntime(dir: string): CompiledRuntime {
  const ts = require('typescript') as typeof import('typescript');
  const { options, errors } = ts.convertCompilerOptionsFromJson(OPTIONS, dir);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, host(ts)));
  const roots = RUNTIME_MODULES.map((name) => path.join(dir, `${name}.ts`));
  const program = ts.createProgram(roots, options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) throw new Error(`errata's runtime does not compile:\n${ts.formatDiagnostics(diagnostics, host(ts))}`);
  const written = new Map<string, string>();
  program.emit(undefined, (file, text) => written.set(path.resolve(file), text));
  const take = (file: string) => {
    const text = written.get(path.resolve(file));
    if (text === undefined) throw new Error(`compiling errata's runtime wrote no ${file}`);
    return withImportExtension(text, '.js');
  };
  return Object.fromEntries(
    RUNTIME_MODULES.map((name) => [name, { js: take(path.join(dir, `${name}.js`)), dts: take(path.join(dir, `${name}.d.ts`)) }]),
  ) as CompiledRuntime;
}

function host(ts: typeof import('typescript')): import('typescript').FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };
}
