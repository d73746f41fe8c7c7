import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPLATES_DIR } from './render';
import { RUNTIME_MODULES, compileRuntime, runtimeFingerprint, type CompiledRuntime, type RuntimeModule } from './runtime-compile';
import type { EmittedFile } from './types';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/**
 * The runtime's TypeScript sources: `runtime/` beside `generator/` in this repository, and the
 * package root's `runtime/` (shipped as source for this) when running from `dist/generator/emit`.
 */
const RUNTIME_DIR = [path.resolve(HERE, '../../runtime'), path.resolve(HERE, '../../../runtime')].find((dir) => existsSync(path.join(dir, 'server.ts')))!;
/** The runtime compiled ahead of time, with the fingerprint of what it was compiled from (scripts/runtime-templates.mjs). */
export const COMPILED_DIR = path.join(TEMPLATES_DIR, 'runtime');
export const FINGERPRINT_FILE = 'fingerprint.txt';

export function runtimeSources(dir = RUNTIME_DIR): Record<RuntimeModule, string> {
  return Object.fromEntries(RUNTIME_MODULES.map((name) => [name, readFileSync(path.join(dir, `${name}.ts`), 'utf8')])) as Record<RuntimeModule, string>;
}

/** The copy in templates/runtime/ when it was compiled from these very sources, else undefined. */
export function readCompiledRuntime(sources: Record<RuntimeModule, string>): CompiledRuntime | undefined {
  const stamp = path.join(COMPILED_DIR, FINGERPRINT_FILE);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== runtimeFingerprint(sources)) return undefined;
  const read = (file: string) => readFileSync(path.join(COMPILED_DIR, file), 'utf8');
  return Object.fromEntries(RUNTIME_MODULES.map((name) => [name, { js: read(`${name}.js`), dts: read(`${name}.d.ts`) }])) as CompiledRuntime;
}

let compiled: CompiledRuntime | undefined;
/**
 * The runtime as generated code gets it. An install reads templates/runtime/, compiled when the
 * package was built; a checkout whose runtime/ changed since compiles it here (a second or two,
 * once per process), so the output is the same either way.
 */
function runtime(): CompiledRuntime {
  if (compiled) return compiled;
  const sources = runtimeSources();
  return (compiled = readCompiledRuntime(sources) ?? compileRuntime(RUNTIME_DIR));
}

/**
 * `runtime/<name>.js` and `.d.ts` in generated/: generated code imports its runtime by relative
 * path, so a consumer's `generated/` runs without errata installed (errata, with Redocly CLI and
 * openapi-typescript, stays a devDependency). Compiled rather than copied as TypeScript: a
 * consumer's `tsc` reads the declarations and never checks the runtime's bodies, which cost more
 * to check than all the contract's own types. The runtime is written and tested as ordinary
 * TypeScript in `runtime/`; it holds no spec strings.
 */
export function runtimeFiles(name: RuntimeModule): EmittedFile[] {
  const { js, dts } = runtime()[name];
  const note = `// errata's runtime/${name}.ts, compiled, so this folder needs no errata install.\n`;
  return [
    { path: `runtime/${name}.js`, contents: note + js },
    { path: `runtime/${name}.d.ts`, contents: note + dts },
  ];
}
