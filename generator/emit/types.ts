import type { Document } from '../load/load-contract';
import type { ErrorContract } from '../model/types';

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  contents: string;
}

export interface EmitInput {
  model: ErrorContract;
  /** The expanded contract, as written to openapi.json. */
  bundled: Document;
  /** openapi-typescript's options (`x-errata.openapiTypescript` in redocly.yaml), already checked. */
  openapiTypescript?: Readonly<Record<string, boolean>>;
}

/** One output of `errata generate`: pure, from the model and the expanded contract to files. */
export type Emitter = (input: EmitInput) => EmittedFile[] | Promise<EmittedFile[]>;
