import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError, UsageError } from '../errors';
import { guardReferences } from '../load/reference-guard';
import { terminal } from '../model/escape';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PLUGIN_SOURCE = path.join(PACKAGE_ROOT, 'generator/lint/plugin.ts');
export const PLUGIN_OUTPUT = path.join(PACKAGE_ROOT, 'dist/redocly-plugin.mjs');

/** `redocly lint --format` choices in @redocly/cli 2.x. */
export const FORMATS = ['codeframe', 'stylish', 'json', 'checkstyle', 'codeclimate', 'summary', 'markdown', 'github-actions', 'junit'] as const;

/**
 * Builds the plugin from source (as `npm run build:plugin` does), so a lint never runs stale
 * rules. Redocly loads plugins with Node's own loader, which cannot read TypeScript.
 */
export async function buildPlugin(outfile = PLUGIN_OUTPUT): Promise<string> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    if (existsSync(outfile)) return outfile; // an installed package ships dist/ and no esbuild
    throw new UsageError(`the lint plugin ${path.relative(process.cwd(), outfile)} is not built and esbuild is not installed`, 'run `npm ci` (its prepare script runs `npm run build:plugin`)');
  }
  await esbuild.build({ entryPoints: [PLUGIN_SOURCE], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' });
  return outfile;
}

export interface LintArgs {
  spec: string;
  format?: string;
  config?: string;
  maxProblems?: string;
  generateIgnoreFile?: boolean;
  /** More folders `$ref`s may reach, as for generate (`--allow-ref-root`). */
  allowedRoots?: string[];
}

/**
 * `errata lint`: the real Redocly CLI with this repository's redocly.yaml (Redocly's recommended
 * rules plus errata's), or `--config` / a redocly.yaml in the working directory. Output and exit
 * code are Redocly's own, so every `--format` and the ignore file work as documented there.
 */
export async function lint(args: LintArgs): Promise<number> {
  if (args.format !== undefined && !(FORMATS as readonly string[]).includes(args.format)) {
    throw new UsageError(`unknown --format ${JSON.stringify(args.format)}`, `use one of: ${FORMATS.join(', ')}`);
  }
  if (!existsSync(args.spec)) throw new UsageError(`cannot read ${args.spec}`, 'pass the path of your OpenAPI root document: `errata lint openapi/openapi.yaml`');
  const config = args.config ?? (existsSync('redocly.yaml') ? 'redocly.yaml' : path.join(PACKAGE_ROOT, 'redocly.yaml'));
  if (!existsSync(config)) throw new UsageError(`cannot read the Redocly config ${config}`, 'pass `--config path/to/redocly.yaml`');
  // Redocly's resolver reads any path and fetches http(s) references; errata's read policy is
  // checked first, so Redocly is only started on a contract whose every file errata would read.
  const refused = guardReferences(args.spec, args.allowedRoots ? { allowedRoots: args.allowedRoots } : {});
  if (refused.length > 0) throw new ContractError(refused);
  await buildPlugin();
  const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
  const argv = [cli, 'lint', args.spec, '--config', config];
  if (args.format) argv.push('--format', args.format);
  if (args.maxProblems) argv.push('--max-problems', args.maxProblems);
  if (args.generateIgnoreFile) argv.push('--generate-ignore-file');
  return new Promise((resolve, reject) => {
    // Redocly prints the contract's text (messages, code frames) as it is: its output passes
    // through the terminal escaper, so an ESC or CR in the contract shows as `\x1b`, `\x0d`. Its
    // own colours go with it (they are escape sequences too).
    const child = spawn(process.execPath, argv, { stdio: ['inherit', 'pipe', 'pipe'], env: { REDOCLY_TELEMETRY: 'off', ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
      from.setEncoding('utf8');
      from.on('data', (chunk: string) => to.write(terminal(chunk)));
    }
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
