import type { SourceLocation } from '../errors';
import type { Conversion } from '../load/openapi30';
import type { RetryPolicy } from '../model/types';

export type Json = Record<string, unknown>;

export interface InitOptions {
  /** The root OpenAPI file (3.0 or 3.1, YAML or JSON). */
  spec: string;
  /** Infer and report, write nothing. */
  dryRun?: boolean;
  /** After writing, run `generate` and errata's lint on the result and list what remains (default true). */
  verify?: boolean;
}

export type Confidence = 'high' | 'medium' | 'low';

/** One thing init concluded, and from what. */
export interface Inference {
  subject: string;
  value: string;
  from: string;
  confidence: Confidence;
}

/** Something init could not decide: a person has to. */
export interface Todo {
  message: string;
  /** Where, in the authored files (a few; `count` says how many in all). */
  where: SourceLocation[];
  count: number;
}

export interface InferredEnvelope {
  mediaType: string;
  /** `#/components/schemas/Error` */
  schema: string;
  code: string;
  message: string;
  meta?: string;
  requestId?: { header?: string; body?: string };
  /** How the body was recognised: flat, nested, problem+json, google, or none (code member proposed). */
  style: 'flat' | 'nested' | 'problem+json' | 'google' | 'proposed';
}

export interface InferredCode {
  code: string;
  statuses: number[];
  category: 'client' | 'server';
  description: string;
  fix: string;
  retry: RetryPolicy;
  meta?: Json;
  example?: unknown;
  /** Where the code came from, strongest first. */
  source: 'enum' | 'example' | 'description' | 'schema-name' | 'shared-response' | 'unspecified';
  confidence: Confidence;
  /** Operations that can return it. */
  operations: number;
  /** The value on the wire when it differs from the code (errata codes are UPPER_SNAKE_CASE). */
  wire?: string;
}

export interface FileEdit {
  file: string;
  contents: string;
}

export interface InitResult {
  spec: string;
  /** Set when the input was OpenAPI 3.0: what converting it to 3.1 at load changes. */
  converted?: Conversion;
  envelope: InferredEnvelope;
  codes: InferredCode[];
  operations: { total: number; covered: number };
  /** Response objects annotated with `x-errata-codes` (a shared response counts once). */
  annotated: number;
  inferences: Inference[];
  todo: Todo[];
  /** The edited files: written unless `dryRun`. */
  files: FileEdit[];
  written: boolean;
  /** After writing (and `verify`): what `errata generate` and errata's lint rules still report. */
  remaining?: { generate: Todo[]; lint: Todo[]; redoclyOwn: number };
  report: string;
}
