import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generated } from '../helpers/generate';

/**
 * The `errata generate` output of a contract (once per run, see helpers/generate.ts), copied
 * into a fresh temporary directory that links node_modules as a consumer's project would, with its
 * `client.ts` imported from there: each envelope shape is exercised through its own output.
 * `dir` is the output folder (where a usage file importing `./client` goes).
 */
export async function generateClient<Module = Record<string, any>>(spec: string): Promise<{ dir: string; module: Module }> {
  // The generated runtime imports openapi-fetch, resolved from the consumer's node_modules.
  const dir = await generated({ spec }, [], { nodeModules: true });
  const module = (await import(pathToFileURL(path.join(dir, 'client.ts')).href)) as Module;
  return { dir, module };
}
