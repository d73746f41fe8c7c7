import { emitters } from './emit/index';
import { checkSyntax, releaseTypesThread } from './emit/openapi-types';
import { ContractError } from './errors';
import { finishFiles, type ImportExtension, type Origin } from './emit/output-options';
import type { EmittedFile } from './emit/types';
import { OUTPUT_MARKER } from './emit/write';
import { expandContract } from './expand/expand-contract';
import { loadContract, loadContractEarly, type Document, type LoadedContract, type LoadOptions } from './load/load-contract';
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
  const { contract, validated } = await loadContractEarly(spec, options);
  const work = (async () => {
    const { model, bundled } = modelAndBundle(contract);
    try {
      const input = { model, bundled, ...(options.openapiTypescript ? { openapiTypescript: options.openapiTypescript } : {}) };
      const files = finishFiles((await Promise.all(emitters.map((emit) => emit(input)))).flat(), origin, options.importExtension ?? '.js');
      // Never exit 0 with output that does not parse (a contract string escaped wrongly, an
      // openapi-typescript output errata did not foresee): nothing is written then.
      const broken = await checkSyntax(bundled, files);
      if (broken.length > 0) {
        throw new ContractError(
          broken.map((b) => ({
            pointer: '',
            location: { file: b.file, pointer: '', line: b.line, column: b.column },
            message: `the generated ${b.file} would not parse: ${b.message}`,
            fix: 'nothing was written; this is a bug in errata (or openapi-typescript) for this contract: please report it with the contract',
          })),
        );
      }
      files.push(readme(files, origin));
      return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    } finally {
      await releaseTypesThread(bundled);
    }
  })();
  work.catch(() => {});
  await validated;
  return { files: await work };
}

function readme(files: EmittedFile[], origin: Origin): EmittedFile {
  const list = files.map((f) => `- \`${f.path}\``).sort().join('\n');
  const line = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029`]/g, ' ');
  return {
    path: 'README.md',
    contents: `${OUTPUT_MARKER}\n\nEvery file here is written by \`errata generate\` from the contract \`${line(origin.spec)}\`. Do not edit them:\nchange the contract and run \`${line(origin.command)}\`; in CI, \`${line(origin.command)} --check\` fails when they drift.\n\n${list}\n`,
  };
}
