import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmittedFile } from './types';

const RUNTIME_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime');

/**
 * Copies `runtime/<name>` into `generated/runtime/<name>`: generated code imports its runtime by
 * relative path, so a consumer's `generated/` works without errata installed. The runtime is
 * written and tested as ordinary TypeScript in `runtime/`; it holds no spec strings.
 */
export function runtimeFile(name: string): EmittedFile {
  const contents = readFileSync(path.join(RUNTIME_DIR, name), 'utf8');
  return { path: `runtime/${name}`, contents: `// Copied by errata from runtime/${name}. Do not edit.\n${contents}` };
}
