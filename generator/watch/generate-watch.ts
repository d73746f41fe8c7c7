import { keepOpenapiTypes, lastTypesRun } from '../emit/openapi-types';
import type { ImportExtension, Origin } from '../emit/output-options';
import type { EmittedFile } from '../emit/types';
import { writeOutput } from '../emit/write';
import { generate } from '../generate';
import { ValidationThread } from '../load/load-contract';
import type { ParseMemo } from '../load/read-source';
import { watchContract } from './watch-files';

export interface WatchTarget {
  spec: string;
  out: string;
  validate: boolean;
  importExtension: ImportExtension;
  origin: Origin;
  allowedRoots?: string[];
}

export interface WatchIo {
  /**
   * A run wrote the output (or found it unchanged). `note`: how openapi.ts was made when that is
   * news: only its changed parts transformed again, or all of it and why.
   */
  wrote(target: WatchTarget, files: number, ms: number, note?: string): void;
  /** A run failed: the error as a one-shot run reports it; the last good output stays. */
  failed(target: WatchTarget, error: unknown): void;
}

/**
 * `errata generate --watch`: generates each target, then again whenever a file of its contract
 * changes. What does not change between runs is not redone: openapi-typescript and the validation
 * thread stay loaded, each file's parse is kept while its text is the same, and validation and
 * openapi-typescript's output are looked up by content hash (load/cache.ts) before they run. The
 * output is written as a one-shot run writes it (all files or none), and only when it changed.
 */
export async function watchGenerate(targets: WatchTarget[], io: WatchIo): Promise<{ close(): Promise<void>; idle(): Promise<void> }> {
  await keepOpenapiTypes(true);
  const validator = new ValidationThread();
  const watches = targets.map((target) => {
    const parsed: ParseMemo = new Map();
    let last: EmittedFile[] | undefined;
    let first = true;
    return watchContract(
      target.spec,
      async (texts) => {
        const started = performance.now();
        try {
          const { files } = await generate(target.spec, {
            validate: target.validate,
            importExtension: target.importExtension,
            origin: target.origin,
            ...(target.allowedRoots ? { allowedRoots: target.allowedRoots } : {}),
            validator,
            texts,
            parsed,
          });
          if (!sameFiles(last, files)) await writeOutput(target.out, files);
          last = files;
          io.wrote(target, files.length, performance.now() - started, typesNote(first));
          first = false;
        } catch (e) {
          io.failed(target, e);
        }
      },
      (e) => io.failed(target, e),
    );
  });
  return {
    async close() {
      await Promise.all(watches.map((w) => w.close()));
      await validator.stop();
      await keepOpenapiTypes(false);
    },
    idle: async () => void (await Promise.all(watches.map((w) => w.idle()))),
  };
}

function typesNote(first: boolean): string | undefined {
  const run = lastTypesRun();
  if (run.how === 'spliced') return `openapi.ts: ${run.remade} of ${run.parts} parts transformed again`;
  if (run.how === 'full' && !first && run.why) return `openapi.ts: transformed whole, as ${run.why}`;
  return undefined;
}

function sameFiles(a: EmittedFile[] | undefined, b: EmittedFile[]): boolean {
  return a !== undefined && a.length === b.length && a.every((f, i) => f.path === b[i]!.path && f.contents === b[i]!.contents);
}
