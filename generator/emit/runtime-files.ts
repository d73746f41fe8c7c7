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
 * Copies `runtime/<name>` into `generated/runtime/<name>`: generated code imports its runtime by
 * relative path, so a consumer's `generated/` runs without errata installed (errata, with Redocly
 * CLI and openapi-typescript, stays a devDependency). The runtime is written and tested as
 * ordinary TypeScript in `runtime/`; it holds no spec strings.
 */
export function runtimeFile(name: string): EmittedFile {
  const contents = readFileSync(path.join(RUNTIME_DIR, name), 'utf8');
  return { path: `runtime/${name}`, contents: `// A copy of errata's runtime/${name}, so this folder needs no errata install.\n${contents}` };
}
