import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmittedFile } from './types';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/**
 * The runtime's TypeScript sources: `runtime/` beside `generator/` in this repository, and the
 * package root's `runtime/` (shipped as source for this) when running from `dist/generator/emit`.
 */
const RUNTIME_DIR = [path.resolve(HERE, '../../runtime'), path.resolve(HERE, '../../../runtime')].find((dir) => existsSync(path.join(dir, 'server.ts')))!;

/**
 * What heads every runtime copy. `@ts-nocheck` keeps the consumer's `tsc` from checking the
 * runtime's bodies on every build (its types are still read, where generated code uses them): that
 * checking was most of what type-checking `generated/` cost above openapi-typescript's output
 * (`docs/bench.md`). The bodies are checked here, in `runtime/`, under strict and the stricter
 * settings (`npm run typecheck`), as a library's are before it ships declarations that
 * `skipLibCheck` then skips. The copy stays a `.ts` source rather than `.js` and `.d.ts`: a project
 * that builds with `tsc --outDir` compiles it like its own code, and tsc copies no `.js` it did
 * not compile.
 */
export const RUNTIME_HEADER = (name: string) =>
  `// A copy of errata's runtime/${name}, so this folder needs no errata install.\n` +
  `// @ts-nocheck -- checked in errata's repository under strict settings; your tsc reads its types, not its bodies.\n`;

/**
 * Copies `runtime/<name>` into `generated/runtime/<name>`: generated code imports its runtime by
 * relative path, so a consumer's `generated/` runs without errata installed (errata, with Redocly
 * CLI and openapi-typescript, stays a devDependency). The runtime is written and tested as
 * ordinary TypeScript in `runtime/`; it holds no spec strings.
 */
export function runtimeFile(name: string): EmittedFile {
  const contents = readFileSync(path.join(RUNTIME_DIR, name), 'utf8');
  return { path: `runtime/${name}`, contents: `${RUNTIME_HEADER(name)}${contents}` };
}
