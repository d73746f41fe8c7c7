/**
 * `packageCopy()`: a throw-away copy of this repository (what a clone holds that the CLI and CI
 * read: bin/, generator/, runtime/, templates/, schemas/ (the model imports the catalog schema),
 * scripts/ (the build), openapi/, generated/, .ci/, the package, TypeScript and Redocly config)
 * in a temporary directory, with the repository's node_modules linked in. Tests
 * that must run a command that writes into its checkout (`errata lint` builds dist/, `.ci/run`
 * regenerates generated/), or that need a stale checkout, run it there, so the real checkout is
 * never written.
 */
import { cpSync, existsSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempTree } from './cli';

const ENTRIES = ['.ci', 'bin', 'generator', 'runtime', 'templates', 'schemas', 'scripts', 'openapi', 'generated', 'package.json', 'package-lock.json', 'redocly.yaml', 'tsconfig.json', 'tsconfig.build.json'];

export function packageCopy(): string {
  const dir = tempTree({}, 'errata-package-');
  for (const entry of ENTRIES) {
    if (existsSync(path.join(ROOT, entry))) cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}
