import path from 'node:path';
import { typecheck } from './cli';

/**
 * One compiler program for several independent groups of files (a generated output, perhaps with
 * a test file beside it): the compiler's start-up and the shared declarations are paid once
 * instead of once per group. Diagnostics are handed back per group, so each caller asserts on its
 * own group's result as if it had been checked alone: a diagnostic in one of a group's `files`
 * goes to that group; one elsewhere in a group's `dir` (the generated code its files import) to
 * every group of that folder; one outside every folder (a compiler option, a shared file) to
 * every group.
 *
 * With `{ only: 'files' }`, only the groups' own files are checked whole: the code they import is
 * checked as far as their lines use its types (most of a generated output's cost is its bodies),
 * for groups whose subject is their own files, when another test type-checks the imported code.
 * With `{ except: folders }`, every file is checked whole but those under the folders.
 */
export function typecheckEach(groups: readonly { dir: string; files: readonly string[] }[], options: Parameters<typeof typecheck>[2] = {}): { code: number; output: string }[] {
  const whole = typecheck(groups.flatMap((g) => g.files), undefined, options);
  const dirs = groups.map((g) => path.resolve(g.dir) + path.sep);
  const files = groups.map((g) => new Set(g.files.map((f) => path.resolve(f))));
  const own = groups.map(() => [] as string[]);
  for (const d of whole.diagnostics) {
    const file = d.file ? path.resolve(d.file) : undefined;
    const byFile = files.flatMap((set, i) => (file !== undefined && set.has(file) ? [i] : []));
    const byDir = dirs.flatMap((dir, i) => (file !== undefined && file.startsWith(dir) ? [i] : []));
    const owners = byFile.length > 0 ? byFile : byDir.length > 0 ? byDir : groups.map((_, i) => i);
    for (const i of owners) own[i]!.push(d.text);
  }
  return own.map((texts) => ({ code: texts.length > 0 ? 2 : 0, output: texts.join('') }));
}
