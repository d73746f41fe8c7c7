import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildPlugin } from '../../generator/lint/command';
import { ROOT, tempTree } from '../helpers/cli';

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

let plugin: Promise<string> | undefined;

/**
 * The plugin built from the current source by `errata lint`'s own `buildPlugin`, into a temporary
 * file: tests never depend on a stale dist/.
 */
export function builtPlugin(): Promise<string> {
  plugin ??= buildPlugin(path.join(tempTree({}, 'errata-plugin-'), 'redocly-plugin.mjs'));
  return plugin;
}

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

/**
 * Lints each YAML case as its own API with only `errata/<rule>` enabled (plus `extraFiles` for
 * `$ref`s), in one CLI run, and returns that rule's problems per case.
 */
export async function lintCases(rule: string, cases: Record<string, string>, options: { extraFiles?: Record<string, string>; ruleOptions?: Record<string, unknown> } = {}): Promise<Record<string, Found[]>> {
  const pluginPath = await builtPlugin();
  const names = Object.keys(cases);
  const dir = tempTree({ ...Object.fromEntries(names.map((n) => [`${n}.yaml`, cases[n]!])), ...options.extraFiles });
  const ruleConfig = JSON.stringify({ severity: 'error', ...options.ruleOptions });
  writeFileSync(path.join(dir, 'redocly.yaml'), `telemetry: off\nplugins: [${JSON.stringify(pluginPath)}]\nextends: []\nrules:\n  errata/${rule}: ${ruleConfig}\n`);
  const r = await run(['lint', ...names.map((n) => `${n}.yaml`), '--format', 'json', '--max-problems', '1000'], dir);
  if (r.stdout.trim() === '') throw new Error(`redocly lint printed nothing (exit ${r.code}): ${r.stderr}`);
  const reports = parseJsonReports(r.stdout);
  if (reports.length !== names.length) throw new Error(`expected ${names.length} reports, got ${reports.length}: ${r.stderr}`);
  return Object.fromEntries(names.map((n, i) => [n, reports[i]!.problems.filter((p) => p.ruleId === `errata/${rule}`)]));
}

/** A small valid contract in one file; `patch` edits its text for one mistake at a time. */
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
