import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, tempTree } from '../helpers/cli';
import { builtPlugin } from './redocly';
import { patch } from '../helpers/patch';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A temporary directory with a redocly.yaml that loads the plugin built from source. */
export async function configDir(config = 'extends: [errata/all]'): Promise<string> {
  const dir = tempTree({});
  writeFileSync(path.join(dir, 'redocly.yaml'), `telemetry: off\nplugins: [${JSON.stringify(await builtPlugin())}]\n${config}\n`);
  return dir;
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
