import path from 'node:path';
import { typecheck } from './cli';

/**
 * One compiler program for several independent roots, each in its own folder (a generated output
 * with a test file beside it): the compiler's start-up and the shared declarations are paid once
 * instead of once per root. Diagnostics are handed back per root, by the folder they fall in, so
 * each caller asserts on its own root's result as if it had been checked alone; a diagnostic outside
 * every root's folder (a compiler option, a shared file) is reported to every root.
 */
export function typecheckEach(roots: readonly string[]): Map<string, { code: number; output: string }> {
  const whole = typecheck([...roots]);
  const dirs = roots.map((f) => path.dirname(path.resolve(f)) + path.sep);
  const own = new Map<string, string[]>(roots.map((f) => [f, []]));
  for (const d of whole.diagnostics) {
    const file = d.file ? path.resolve(d.file) : undefined;
    const owners = roots.filter((_, i) => file !== undefined && file.startsWith(dirs[i]!));
    for (const r of owners.length > 0 ? owners : roots) own.get(r)!.push(d.text);
  }
  return new Map(roots.map((f) => [f, { code: own.get(f)!.length > 0 ? 2 : 0, output: own.get(f)!.join('') }]));
}
