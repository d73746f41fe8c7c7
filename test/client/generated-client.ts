import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, errata, tempTree } from '../helpers/cli';

/**
 * Runs the real `errata generate` on a contract into a fresh temporary directory and imports the
 * generated `client.ts` from there, so each envelope shape is exercised through its own output.
 */
export async function generateClient<Module = Record<string, any>>(spec: string): Promise<{ dir: string; module: Module }> {
  const dir = tempTree({}, 'errata-client-');
  const r = errata(['generate', '--spec', path.join(ROOT, spec), '--out', dir]);
  if (r.code !== 0) throw new Error(`errata generate ${spec} failed:\n${r.stdout}${r.stderr}`);
  // The generated runtime imports openapi-fetch, resolved from the consumer's node_modules.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const module = (await import(pathToFileURL(path.join(dir, 'client.ts')).href)) as Module;
  return { dir, module };
}
