/**
 * errata's programmatic API: what the `errata` CLI runs, with typed options and results. Every
 * function takes explicit paths (relative ones resolve against `cwd`, default `process.cwd()`)
 * and throws `UsageError` (bad arguments, unreadable input) or `ContractError` (problems in the
 * contract: `problems` holds each with its file, JSON pointer, line and fix).
 *
 *   import { generate } from 'errata';
 *   const { files } = await generate({ spec: 'openapi/openapi.yaml', out: 'src/generated' });
 */
import path from 'node:path';
import type { ImportExtension } from './emit/output-options';
import { readOpenapiTsOptions, type OpenapiTsOptions } from './config/openapi-ts-options';

export { ContractError, UsageError, type Problem, type SourceLocation } from './errors';
export { findConfig, loadConfig, CONFIG_FILES, type ApiTarget, type ErrataConfig } from './config/load-config';
export { lint, FORMATS, type LintFormat, type LintOptions, type LintResult } from './lint/command';
export type { ImportExtension } from './emit/output-options';
export { OPENAPI_TS_OPTIONS, type OpenapiTsOptions } from './config/openapi-ts-options';

export interface GenerateOptions {
  /** The contract's OpenAPI 3.1 root document (YAML or JSON; may `$ref` other files in its folder). */
  spec: string;
  /** The folder errata owns and replaces as a whole (it refuses one holding files it did not write). */
  out: string;
  /** Write nothing; report the files in `out` that differ from what the contract produces. */
  check?: boolean;
  /** Validate against the OpenAPI 3.1 schema first (default true). */
  validate?: boolean;
  /** Extension of the relative imports in generated code (default `.js`, for `module: NodeNext`). */
  importExtension?: ImportExtension;
  /** openapi-typescript options for `openapi.ts` (`x-errata.openapiTypescript` in redocly.yaml), e.g. `{ defaultNonNullable: false }`. */
  openapiTypescript?: OpenapiTsOptions;
  /** The command that regenerates `out`, named in its headers and README (default `npx errata generate`). */
  command?: string;
  /** More folders `$ref`s may read besides the contract's own (never URLs, devices or special files). */
  allowedRoots?: string[];
  cwd?: string;
}

export interface GenerateResult {
  /** Absolute path of the output folder. */
  out: string;
  /** Paths of the generated files, relative to `out`. */
  files: string[];
  /** Whether `out` was (re)written; false for `check`. */
  written: boolean;
  /** With `check`: each file that is missing, differs or is extra (`catalog.ts (differs)`); empty when up to date. */
  drift: string[];
}

/** load → model → expand → emit: writes `out` atomically (everything or nothing), or checks it. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const spec = path.resolve(cwd, options.spec);
  const out = path.resolve(cwd, options.out);
  // Loaded on demand: openapi-typescript alone takes most of a second to import.
  const [{ generate: run }, { diffOutput, writeOutput }] = await Promise.all([import('./generate'), import('./emit/write')]);
  const { files } = await run(spec, {
    validate: options.validate !== false,
    ...(options.allowedRoots ? { allowedRoots: options.allowedRoots.map((r) => path.resolve(cwd, r)) } : {}),
    importExtension: options.importExtension ?? '.js',
    ...(options.openapiTypescript ? { openapiTypescript: readOpenapiTsOptions(options.openapiTypescript, () => undefined) } : {}),
    origin: { spec: path.relative(cwd, spec).split(path.sep).join('/') || spec, command: options.command ?? 'npx errata generate' },
  });
  const paths = files.map((f) => f.path);
  if (options.check) return { out, files: paths, written: false, drift: diffOutput(out, files) };
  await writeOutput(out, files);
  return { out, files: paths, written: true, drift: [] };
}

export interface DocsOptions {
  spec: string;
  /** The HTML file to write (one self-contained page). */
  out: string;
  cwd?: string;
}

export interface DocsResult {
  /** Absolute path of the page. */
  out: string;
  bytes: number;
}

/** Renders the API reference with its error catalog (Redoc, through Redocly CLI) as one offline HTML file. */
export async function docs(options: DocsOptions): Promise<DocsResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const { buildDocs } = await import('./docs/build-docs');
  return buildDocs(path.resolve(cwd, options.spec), path.resolve(cwd, options.out));
}

// Comparing two versions of a contract, and adopting errata on an existing description.
export { diff, failsAt, RULES, type DiffOptions, type DiffResult, type Change, type Level, type Place, type PolicyLevel, type Rule } from './diff/index';
export { init } from './init/index';
export type { InitOptions, InitResult } from './init/types';
