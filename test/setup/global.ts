/**
 * Vitest globalSetup: once per `vitest run`, before any test file.
 *
 * `inject('runDir')`: a temporary folder for this run, removed at the end, for what is made once per
 * run and shared by every test file and worker (test/helpers/run-cache.ts): each fixture contract's
 * `errata generate` output (test/helpers/generate.ts) and errata's Redocly plugin built from the
 * current source (test/lint/redocly.ts's `builtPlugin`; nothing is ever written to the checkout's
 * dist/). Each is made by the first test that needs it, so a run of a few files pays only for what
 * they use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const runDir = mkdtempSync(path.join(tmpdir(), 'errata-run-'));
  project.provide('runDir', runDir);
  return () => rmSync(runDir, { recursive: true, force: true });
}
