import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findConfig, loadConfig } from '../config/load-config';
import { ContractError, UsageError } from '../errors';
import { guardReferences } from '../load/reference-guard';
import { terminal } from '../model/escape';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PLUGIN_SOURCE = path.join(HERE, 'plugin.ts');
/** The compiled plugin beside this file when errata runs from dist/ (an install). */
const PLUGIN_BUILT = path.join(HERE, 'plugin.js');

/** `redocly lint --format` choices in @redocly/cli 2.x. */
export const FORMATS = ['codeframe', 'stylish', 'json', 'checkstyle', 'codeclimate', 'summary', 'markdown', 'github-actions', 'junit'] as const;
export type LintFormat = (typeof FORMATS)[number];

/** What a redocly.yaml writes to load errata's rules. */
export const CONFIG_SNIPPET = 'plugins:\n    - errata/redocly-plugin\n  extends:\n    - recommended\n    - errata/all';

/**
 * Bundles the plugin's TypeScript sources into one ES module at `outfile` (tests and the bench,
 * inside this repository, where esbuild is a devDependency). Redocly loads plugins with Node's own
 * loader, which cannot read TypeScript.
 */
export async function buildPlugin(outfile: string): Promise<string> {
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [PLUGIN_SOURCE], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' });
  return outfile;
}

/**
 * The plugin file of the errata that is running: the compiled one when installed; in this
 * repository (sources run through tsx) a fresh build into a temporary folder. Nothing is ever
 * written into the package.
 */
async function ownPlugin(): Promise<string> {
  if (existsSync(PLUGIN_BUILT)) return PLUGIN_BUILT;
  // Built once per process: a watch loop or a test worker lints many times from the same sources.
  sourceBuild ??= buildPlugin(path.join(mkdtempSync(path.join(tmpdir(), 'errata-plugin-')), 'redocly-plugin.mjs')).catch((e: unknown) => {
    sourceBuild = undefined;
    throw e;
  });
  return sourceBuild;
}
let sourceBuild: Promise<string> | undefined;

/** Redocly's recommended rules plus errata's, in a config of errata's own outside the project and the package. */
export async function errataConfig(): Promise<string> {
  const config = path.join(mkdtempSync(path.join(tmpdir(), 'errata-lint-')), 'redocly.yaml');
  writeFileSync(config, `telemetry: off\nplugins:\n  - ${JSON.stringify(await ownPlugin())}\nextends:\n  - recommended\n  - errata/all\n`);
  return config;
}

export interface LintOptions {
  /** Root documents to lint. None: every `apis:` entry of the config, as `redocly lint` does. */
  specs?: string[];
  /** A Redocly config (default: redocly.yaml in `cwd`; without one, Redocly's recommended rules plus errata's). */
  config?: string;
  format?: LintFormat;
  maxProblems?: number;
  /** Writes today's problems to `.redocly.lint-ignore.yaml` next to the config, as a baseline. */
  generateIgnoreFile?: boolean;
  cwd?: string;
  /** `inherit` (default) prints Redocly's report; `capture` returns it in the result. */
  output?: 'inherit' | 'capture';
  /** More folders `$ref`s may reach, as for generate (`--allow-ref-root`). */
  allowedRoots?: string[];
}

export interface LintResult {
  /** Redocly's exit code: 0 when no problem is an error. */
  exitCode: number;
  /** The config that was used (a temporary one when the project has none). */
  config: string;
  stdout: string;
  stderr: string;
}

/**
 * `errata lint`: the real Redocly CLI with the project's config, so every `--format`, severity and
 * the ignore file work as Redocly documents them. Refuses a config in which errata's rules are not
 * on: Redocly would report "valid" on a contract full of unknown codes.
 */
export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.format !== undefined && !(FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`unknown --format ${JSON.stringify(options.format)}`, `use one of: ${FORMATS.join(', ')}`);
  }
  const specs = options.specs ?? [];
  for (const spec of specs) {
    if (!existsSync(path.resolve(cwd, spec))) throw new UsageError(`cannot read ${spec}`, 'pass the path of your OpenAPI root document: `errata lint openapi/openapi.yaml`');
  }
  let config = findConfig(cwd, options.config);
  if (config) {
    await assertErrataActive(config, cwd);
    if (specs.length === 0 && Object.keys(apisOf(config, cwd)).length === 0) {
      throw new UsageError(`${rel(cwd, config)} lists no \`apis:\` and no contract was given`, 'pass the contract: `errata lint openapi/openapi.yaml`, or list it under `apis:` in the config');
    }
  } else {
    if (options.generateIgnoreFile) {
      throw new UsageError('the ignore file is written next to redocly.yaml, and this project has none', `create redocly.yaml in ${cwd} with:\n  ${CONFIG_SNIPPET}`);
    }
    if (specs.length === 0) throw new UsageError('no contract to lint', 'pass it: `errata lint openapi/openapi.yaml`, or list it under `apis:` in redocly.yaml');
    config = await errataConfig();
  }
  // Redocly's resolver reads any path and fetches http(s) references; errata's read policy is
  // checked first, so Redocly is only started on contracts whose every file errata would read.
  const roots = specs.length > 0 ? specs.map((s) => path.resolve(cwd, s)) : apiRoots(config, cwd);
  const refused = roots.flatMap((root) => guardReferences(root, options.allowedRoots ? { allowedRoots: options.allowedRoots.map((r) => path.resolve(cwd, r)) } : {}));
  if (refused.length > 0) throw new ContractError(refused);
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
  const argv = [cli, 'lint', ...specs, '--config', config];
  if (options.format) argv.push('--format', options.format);
  if (options.maxProblems !== undefined) argv.push('--max-problems', String(options.maxProblems));
  if (options.generateIgnoreFile) argv.push('--generate-ignore-file');
  const capture = options.output === 'capture';
  return new Promise((resolve, reject) => {
    // Redocly prints the contract's text (messages, code frames) as it is: its output passes
    // through the terminal escaper, so an ESC or CR in the contract shows as `\x1b`, `\x0d`. Its
    // own colours go with it (they are escape sequences too).
    const child = spawn(process.execPath, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { REDOCLY_TELEMETRY: 'off', ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    for (const [from, to, keep] of [[child.stdout, process.stdout, (t: string) => (stdout += t)], [child.stderr, process.stderr, (t: string) => (stderr += t)]] as const) {
      from.setEncoding('utf8');
      from.on('data', (chunk: string) => (capture ? keep(chunk) : to.write(terminal(chunk))));
    }
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, config: config!, stdout, stderr }));
  });
}

function rel(cwd: string, file: string): string {
  return path.relative(cwd, file) || file;
}

/** The root documents of the config's `apis:`, as Redocly reads them (relative to the config). */
function apiRoots(config: string, cwd: string): string[] {
  return Object.values(apisOf(config, cwd)).flatMap((api) => {
    const root = typeof api === 'object' && api !== null ? (api as Record<string, unknown>)['root'] : undefined;
    return typeof root === 'string' ? [path.resolve(path.dirname(config), root)] : [];
  });
}

function apisOf(config: string, cwd: string): Record<string, unknown> {
  const apis = loadConfig(config, cwd).document['apis'];
  return typeof apis === 'object' && apis !== null ? (apis as Record<string, unknown>) : {};
}

/**
 * errata's rules are active when the config loads errata's plugin and turns at least one of its
 * rules on (`extends: [errata/all]` or `errata/recommended`, or an `errata/…` rule that is not
 * `off`), at the top level or for an API. Reads the same keys Redocly does, nothing more.
 */
async function assertErrataActive(config: string, cwd: string): Promise<void> {
  const { document } = loadConfig(config, cwd);
  const shown = rel(cwd, config);
  const fix = `add to ${shown}:\n  ${CONFIG_SNIPPET}`;
  const plugins = Array.isArray(document['plugins']) ? document['plugins'].filter((p): p is string => typeof p === 'string') : [];
  let found = false;
  for (const plugin of plugins) {
    const file = resolvePlugin(plugin, path.dirname(config));
    if (file && (await isErrataPlugin(file))) found = true;
  }
  if (!found) {
    throw new UsageError(`${shown} does not load errata's Redocly plugin, so errata's rules would not run`, fix, { file: shown, pointer: '/plugins' });
  }
  const scopes = [document, ...Object.values(document['apis'] ?? {})].filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null);
  const on = scopes.some((scope) => {
    const ext = Array.isArray(scope['extends']) ? scope['extends'] : [];
    if (ext.some((e) => e === 'errata/all' || e === 'errata/recommended')) return true;
    const rules = typeof scope['rules'] === 'object' && scope['rules'] !== null ? (scope['rules'] as Record<string, unknown>) : {};
    return Object.entries(rules).some(([id, value]) => id.startsWith('errata/') && value !== 'off' && !(typeof value === 'object' && value !== null && (value as Record<string, unknown>)['severity'] === 'off'));
  });
  if (!on) {
    throw new UsageError(`${shown} loads errata's plugin but turns none of its rules on`, `extend errata's config in ${shown}: \`extends: [recommended, errata/all]\` (or errata/recommended: every rule as a warning)`, { file: shown, pointer: '/extends' });
  }
}

/** As Redocly resolves a `plugins:` entry: a path relative to the config, else a package specifier. */
function resolvePlugin(entry: string, dir: string): string | undefined {
  const file = path.resolve(dir, entry);
  if (existsSync(file)) return file;
  try {
    return createRequire(path.join(dir, 'redocly.yaml')).resolve(entry, { paths: [dir] });
  } catch {
    return undefined;
  }
}

async function isErrataPlugin(file: string): Promise<boolean> {
  if (existsSync(PLUGIN_BUILT) && realpathSync(file) === realpathSync(PLUGIN_BUILT)) return true;
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    const create = mod.default;
    return typeof create === 'function' && (create as (c: object) => { id?: unknown })({}).id === 'errata';
  } catch {
    return false;
  }
}
