import { spawn } from 'node:child_process';
import path from 'node:path';
import type { createConfig } from '@redocly/openapi-core';
import { ROOT, tempTree } from '../helpers/cli';
import { runCached } from '../helpers/run-cache';

/** The real Redocly CLI the repo depends on (2.77), run as `npx redocly` would. */
export const REDOCLY = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(args: string[], cwd: string, bin = REDOCLY): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * The plugin built from the current source by `errata lint`'s own `buildPlugin`, once per run into
 * the run's temporary folder (test/helpers/run-cache.ts), by the first test that lints: tests never
 * depend on a stale dist/ and never write the checkout's, and a run of test files that never lint
 * never builds it.
 */
export async function builtPlugin(): Promise<string> {
  const dir = await runCached('lint-plugin', async (staging) => {
    const { buildPlugin } = await import('../../generator/lint/command');
    await buildPlugin(path.join(staging, PLUGIN_FILE));
  });
  return path.join(dir, PLUGIN_FILE);
}
const PLUGIN_FILE = 'redocly-plugin.mjs';

export interface Found {
  ruleId: string;
  severity: string;
  message: string;
  /** Path relative to the lint's working directory, `/`-separated. */
  file: string;
  pointer: string;
  line: number;
  col: number;
}

interface JsonReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { source: { ref: string }; pointer: string; start?: { line: number; col: number } }[] }[];
}

/** `redocly lint --format json` prints one JSON document per API it lints, back to back. */
export function parseJsonReports(stdout: string): { totals: JsonReport['totals']; problems: Found[] }[] {
  const chunks = stdout.trim().split(/\n\}(?=\{)/).map((c, i, all) => (i < all.length - 1 ? `${c}\n}` : c));
  return chunks.map((chunk) => {
    const report = JSON.parse(chunk) as JsonReport;
    return {
      totals: report.totals,
      problems: report.problems.map((p) => {
        const at = p.location[0]!;
        return { ruleId: p.ruleId, severity: p.severity, message: p.message, file: at.source.ref.split(path.sep).join('/'), pointer: at.pointer, line: at.start?.line ?? 0, col: at.start?.col ?? 0 };
      }),
    };
  });
}

/** A small valid contract in one file; `patch` (test/helpers/patch.ts) edits its text for one mistake at a time. */
export function contract(parts: { errata?: string; paths?: string; components?: string } = {}): string {
  return `openapi: 3.1.0
info: { title: Case, version: 1.0.0 }
${parts.errata ?? DEFAULT_ERRATA}
paths:
${parts.paths ?? DEFAULT_PATHS}
components:
${parts.components ?? DEFAULT_COMPONENTS}
`;
}

export const DEFAULT_ERRATA = `x-errata:
  envelope:
    schema: { $ref: '#/components/schemas/Error' }
    code: /code
    message: /message
    requestId: { header: x-request-id }
  catalog:
    codes:
      NOT_FOUND: { status: 404, description: No such thing., fix: Check the id. }
      RATE_LIMITED: { status: 429, description: Too many requests., fix: Wait., retry: after }
      INTERNAL: { status: [500, 503], description: Server error., fix: Retry later., retry: backoff }`;

export const DEFAULT_PATHS = `  /things/{id}:
    get:
      operationId: getThing
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: The thing.
          headers: { x-request-id: { $ref: '#/components/headers/RequestId' } }
        '404':
          description: No such thing.
          headers: { x-request-id: { $ref: '#/components/headers/RequestId' } }
          x-errata-codes: [NOT_FOUND]
        '429': { $ref: '#/components/responses/RateLimited' }
        '500': { $ref: '#/components/responses/Internal' }`;

export const DEFAULT_COMPONENTS = `  headers:
    RequestId: { description: Request id., schema: { type: string } }
    RetryAfter: { description: Seconds to wait., schema: { type: integer } }
  responses:
    RateLimited:
      description: Slow down.
      headers:
        x-request-id: { $ref: '#/components/headers/RequestId' }
        Retry-After: { $ref: '#/components/headers/RetryAfter' }
      x-errata-codes: [RATE_LIMITED]
    Internal:
      description: Server error.
      headers: { x-request-id: { $ref: '#/components/headers/RequestId' } }
      x-errata-codes: [INTERNAL]
  schemas:
    Error:
      type: object
      required: [code, message]
      properties:
        code: { type: string }
        message: { type: string }`;


/**
 * Lints each YAML case (written to a temporary folder with `extraFiles`, for `$ref`s) with only
 * `errata/<rule>` enabled and returns that rule's problems per case, located as `redocly lint
 * --format json` locates them. It runs in-process on Redocly's own `lint` from
 * @redocly/openapi-core with the plugin imported from source, instead of one CLI process per
 * file: test/lint/mistakes.test.ts shows the same library and the real CLI report every rule
 * identically.
 */
export async function lintCases(rule: string, cases: Record<string, string>, options: { extraFiles?: Record<string, string>; ruleOptions?: Record<string, unknown> } = {}): Promise<Record<string, Found[]>> {
  const { rules } = await import('../../generator/lint/plugin');
  if (!rules.some((r) => r.id === rule)) throw new Error(`errata has no rule ${rule}`);
  const names = Object.keys(cases);
  // A case identical to another (say, a mistake that no longer applies) would test nothing.
  for (const [i, name] of names.entries()) {
    const twin = names.slice(0, i).find((other) => cases[other] === cases[name]);
    if (twin) throw new Error(`cases ${twin} and ${name} are the same contract`);
  }
  const dir = tempTree({ ...Object.fromEntries(names.map((n) => [`${n}.yaml`, cases[n]!])), ...options.extraFiles });
  const config = await lintConfig(dir, { extends: [], rules: { [`errata/${rule}`]: { severity: 'error', ...options.ruleOptions } } });
  const found: Record<string, Found[]> = {};
  for (const name of names) found[name] = (await lintInProcess(path.join(dir, `${name}.yaml`), config, dir)).filter((p) => p.ruleId === `errata/${rule}`);
  return found;
}

type LintConfig = Awaited<ReturnType<typeof createConfig>>;

/** A Redocly config for files in `dir` with errata's plugin (from source) and `raw` (redocly.yaml's content). */
export async function lintConfig(dir: string, raw: Record<string, unknown>): Promise<LintConfig> {
  // Loaded on first use: the tests that run the CLI do not need Redocly's library in-process.
  const [{ createConfig }, { default: errataPlugin }] = await Promise.all([import('@redocly/openapi-core'), import('../../generator/lint/plugin')]);
  return createConfig({ plugins: [errataPlugin({ contentDir: dir }) as never], ...raw } as never, { configPath: path.join(dir, 'redocly.yaml') });
}

/** Every problem Redocly's `lint` finds in `spec`, with files relative to `cwd` as the CLI prints them. */
export async function lintInProcess(spec: string, config: LintConfig, cwd: string): Promise<Found[]> {
  const { getLineColLocation, lint } = await import('@redocly/openapi-core');
  const problems = await lint({ ref: spec, config });
  return problems.map((p) => {
    const at = p.location[0]!;
    const { start } = getLineColLocation(at);
    return { ruleId: p.ruleId, severity: p.severity, message: p.message, file: path.relative(cwd, at.source.absoluteRef).split(path.sep).join('/'), pointer: at.pointer!, line: start?.line ?? 0, col: start?.col ?? 0 };
  });
}
