import path from 'node:path';
import { ParserError } from '@apidevtools/json-schema-ref-parser';
import type { Problem } from '../errors';
import { toPointer } from '../model/pointer';
import { Locator } from './locate';
import { RefusedRead, parseYaml, readContractFile, readPolicy, type ReadOptions } from './read-source';

/**
 * The read policy of `loadContract` applied to a contract without bundling it: every file its
 * `$ref`s reach, followed from the root, must be one errata would read. `errata lint` runs this
 * before Redocly, whose resolver follows any path and fetches `http(s)` references and cannot be
 * given another one from outside its pre-built CLI. Problems other than the policy's (syntax, a
 * missing file) are left to the linter to report.
 */
export function guardReferences(rootFile: string, options: ReadOptions = {}): Problem[] {
  const policy = readPolicy(rootFile, options);
  const texts = new Map<string, string>();
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const queue: { file: string; from?: { file: string; pointer: string } }[] = [{ file: path.resolve(rootFile) }];
  const report = (from: { file: string; pointer: string } | undefined, message: string, fix: string) =>
    problems.push({ pointer: from?.pointer ?? '', location: from ? new Locator(from.file, texts).locate(from.pointer) : undefined, message: `$ref refused: ${message}`, fix });
  while (queue.length > 0) {
    const { file, from } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let value: unknown;
    try {
      const text = readContractFile(file, policy);
      texts.set(file, text);
      value = parseYaml(text, file, policy);
    } catch (e) {
      if (e instanceof RefusedRead) report(from, e.message, e.fix);
      // The alias limits: the only parse errors that are the policy's.
      else if (e instanceof ParserError && /alias/.test(e.message)) report(from ?? { file, pointer: '' }, e.message.replace(/^Error parsing [^:]+: /, `${path.relative(process.cwd(), file)}: `), 'write the repeated parts out, or share them with $ref');
      continue;
    }
    for (const { ref, tokens } of refsIn(value)) {
      const target = ref.split('#')[0]!;
      if (target === '') continue;
      const at = { file, pointer: toPointer(tokens) };
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !/^file:/i.test(target)) {
        report(at, `${target} is a remote reference; errata reads no references over the network`, 'copy the referenced document into the contract folder and $ref it by relative path');
        continue;
      }
      const local = /^file:/i.test(target) ? new URL(target).pathname : target;
      queue.push({ file: path.resolve(path.dirname(file), decodeURIComponent(local)), from: at });
    }
  }
  return problems;
}

function* refsIn(root: unknown): Generator<{ ref: string; tokens: string[] }> {
  const stack: { node: unknown; tokens: string[] }[] = [{ node: root, tokens: [] }];
  while (stack.length > 0) {
    const { node, tokens } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && Object.hasOwn(node, '$ref')) yield { ref, tokens };
    for (const [key, child] of Object.entries(node)) if (typeof child === 'object' && child !== null) stack.push({ node: child, tokens: [...tokens, key] });
  }
}
