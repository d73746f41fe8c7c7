import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * Runs `tsc --noEmit` over `files` with the repo's compiler; returns its diagnostics text.
 * `baseUrl` lets code generated into a temporary directory find the packages it imports
 * (openapi-fetch) the way it would inside a project that installed them.
 */
export function typecheck(files: string[], cwd = ROOT): { code: number; output: string } {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--target', 'ES2022', '--module', 'ESNext', '--moduleResolution', 'Bundler', '--skipLibCheck', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), '--baseUrl', path.join(ROOT, 'node_modules'), ...files],
    { cwd, encoding: 'utf8' },
  );
  return { code: r.status ?? -1, output: r.stdout + r.stderr };
}
