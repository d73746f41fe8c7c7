import path from 'node:path';
import { typecheck } from './cli';

/**
 * One compiler program for several independent groups of files, each in its own folder (a generated
 * output, perhaps with a test file beside it): the compiler's start-up and the shared declarations
 * are paid once instead of once per group. Diagnostics are handed back per group, by the folder they
 * fall in, so each caller asserts on its own group's result as if it had been checked alone; a
 * diagnostic outside every group's folder (a compiler option, a shared file) goes to every group.
 */
export function typecheckEach(groups: readonly { dir: string; files: readonly string[] }[]): { code: number; output: string }[] {
  const whole = typecheck(groups.flatMap((g) => g.files));
  const dirs = groups.map((g) => path.resolve(g.dir) + path.sep);
  const own = groups.map(() => [] as string[]);
  for (const d of whole.diagnostics) {
    const file = d.file ? path.resolve(d.file) : undefined;
    const owners = dirs.flatMap((dir, i) => (file !== undefined && file.startsWith(dir) ? [i] : []));
    for (const i of owners.length > 0 ? owners : groups.map((_, i) => i)) own[i]!.push(d.text);
  }
  return own.map((texts) => ({ code: texts.length > 0 ? 2 : 0, output: texts.join('') }));
}
