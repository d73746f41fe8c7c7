import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, tempTree } from '../helpers/cli';
import { builtPlugin, parseJsonReports, run, type Found } from './redocly';
import { patch } from '../helpers/patch';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A temporary directory with a redocly.yaml that loads the plugin built from source. */
export async function configDir(config = 'extends: [errata/all]'): Promise<string> {
  const dir = tempTree({});
  writeFileSync(path.join(dir, 'redocly.yaml'), `telemetry: off\nplugins: [${JSON.stringify(await builtPlugin())}]\n${config}\n`);
  return dir;
}

/**
 * Several contracts linted by one run of the real Redocly CLI with `config` (errata's plugin built
 * from source): Redocly's start-up and the plugin's loading are paid once instead of once per
 * contract. Each contract's result, by its root document's path: its problems (`file` absolute) and
 * the exit code a run over it alone would have had (1 when it has an error; the run's own exit code
 * is checked against that).
 */
export async function lintAll(specs: readonly string[], config: string): Promise<Map<string, { code: number; problems: Found[] }>> {
  const dir = await configDir(config);
  const r = await run(['lint', ...specs, '--format', 'json', '--max-problems', '10000', '--config', path.join(dir, 'redocly.yaml')], dir);
  // `redocly lint` reports the contracts in the order given, one JSON document each.
  const reports = r.stdout.trim() === '' ? [] : parseJsonReports(r.stdout);
  if (reports.length !== specs.length) throw new Error(`redocly lint reported on ${reports.length} of ${specs.length} contracts (exit ${r.code}):\n${r.stderr}`);
  const codes = reports.map((report) => (report.totals.errors > 0 ? 1 : 0));
  if (r.code !== Math.max(...codes)) throw new Error(`redocly lint exited ${r.code}, but its reports say ${codes.join(', ')}:\n${r.stderr}`);
  return new Map(specs.map((spec, i) => [spec, { code: codes[i]!, problems: reports[i]!.problems.map((p) => ({ ...p, file: path.resolve(dir, p.file) })) }]));
}

/** A copy of a fixture in a temporary directory, linting with the plugin built from source. */
export async function fixtureCopy(name: string, config?: string): Promise<string> {
  const dir = await configDir(config);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true, filter: (src) => path.basename(src) !== 'redocly.yaml' });
  return dir;
}

/**
 * The consumer fixture as its repository would look: its own redocly.yaml (the plugin path swapped
 * for the one built from source) and the catalog this repository generates, vendored.
 */
export async function consumerRepo(): Promise<string> {
  const dir = tempTree({});
  cpSync(path.join(FIXTURES, 'consumer'), dir, { recursive: true });
  const config = path.join(dir, 'redocly.yaml');
  writeFileSync(config, patch(readFileSync(config, 'utf8'), './node_modules/errata/dist/redocly-plugin.mjs', await builtPlugin()));
  mkdirSync(path.join(dir, 'vendor/picora-errors'), { recursive: true });
  cpSync(path.join(ROOT, 'generated/catalog.json'), path.join(dir, 'vendor/picora-errors/catalog.json'));
  return dir;
}
