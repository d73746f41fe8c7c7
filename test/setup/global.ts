/**
 * Vitest globalSetup: once per `vitest run`, before any test file.
 *
 * - `inject('runDir')`: a temporary folder for this run, removed at the end. test/helpers/generate.ts
 *   keeps one `errata generate` output per distinct contract there, so each fixture contract is
 *   generated once per run however many files use it.
 * - `inject('lintPlugin')`: errata's Redocly plugin built from the current source (by `errata
 *   lint`'s own `buildPlugin`) into that folder, for tests that run the real Redocly CLI. Nothing is
 *   ever written to the checkout's dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildPlugin } from '../../generator/lint/command';

declare module 'vitest' {
  export interface ProvidedContext {
    runDir: string;
    lintPlugin: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const runDir = mkdtempSync(path.join(tmpdir(), 'errata-run-'));
  project.provide('runDir', runDir);
  project.provide('lintPlugin', await buildPlugin(path.join(runDir, 'redocly-plugin.mjs')));
  return () => rmSync(runDir, { recursive: true, force: true });
}
