import { emitters } from './emit/index';
import { finishFiles, type ImportExtension, type Origin } from './emit/output-options';
import type { EmittedFile } from './emit/types';
import { OUTPUT_MARKER } from './emit/write';
import { recordInputs } from './load/cache';
import { expandContract } from './expand/expand-contract';
import { loadContract, loadContractEarly, type Document, type LoadedContract, type LoadOptions } from './load/load-contract';
import { markdownCode, oneLine } from './model/escape';
import { buildModel } from './model/index';
import type { ErrorContract } from './model/types';

export interface Generated {
  files: EmittedFile[];
}

/** model → expand: what every output (generated code, lint, docs) starts from. */
function modelAndBundle(contract: LoadedContract): { model: ErrorContract; bundled: Document } {
  const model = buildModel(contract);
  return { model, bundled: expandContract(contract.document, model) };
}

/** load → model → expand. */
export async function prepare(spec: string, options: LoadOptions = {}): Promise<{ model: ErrorContract; bundled: Document }> {
  return modelAndBundle(await loadContract(spec, options));
}

/**
 * load → model → expand → emit. The contract is parsed and walked once; emitters share the model.
 * Generation overlaps the contract's validation (on a large contract openapi-typescript would
 * otherwise wait seconds for it) and counts only once the contract is valid; if both fail, the
 * validation's problems are reported, as they explain the rest.
 */
export interface GenerateOptions extends LoadOptions {
  origin?: Origin;
  importExtension?: ImportExtension;
  /** openapi-typescript's options (`x-errata.openapiTypescript`); checked by `openapiTypescriptOptions`. */
  openapiTypescript?: Readonly<Record<string, boolean>>;
}

export async function generate(spec: string, options: GenerateOptions = {}): Promise<Generated> {
  const origin = options.origin ?? { spec, command: 'npx errata generate' };
  let emitted!: () => void;
  const { contract, validated } = await loadContractEarly(spec, { ...options, validateAfter: new Promise<void>((resolve) => (emitted = resolve)) });
  const work = (async () => {
    let emitting: Promise<EmittedFile[][]>;
    try {
      const { model, bundled } = modelAndBundle(contract);
      const input = { model, bundled, ...(options.openapiTypescript ? { openapiTypescript: options.openapiTypescript } : {}) };
      emitting = Promise.all(emitters.map((emit) => emit(input)));
    } finally {
      // openapi-typescript's thread has its input (or nothing will): validate while it works.
      emitted();
    }
    const files = finishFiles((await emitting).flat(), origin, options.importExtension ?? '.js');
    files.push(readme(files, origin));
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  })();
  work.catch(() => {});
  await validated;
  const files = await work;
  recordInputs(spec, contract.texts);
  return { files };
}

function readme(files: EmittedFile[], origin: Origin): EmittedFile {
  const list = files.map((f) => `- \`${f.path}\``).sort().join('\n');
  // Paths and commands come from the user, not the contract; still, one line must stay one line.
  const code = (s: string) => markdownCode(oneLine(s));
  return {
    path: 'README.md',
    contents: `${OUTPUT_MARKER}\n\nEvery file here is written by \`errata generate\` from the contract ${code(origin.spec)}. Do not edit them:\nchange the contract and run ${code(origin.command)}; in CI, ${code(`${origin.command} --check`)} fails when they drift.\n\n${list}\n`,
  };
}
