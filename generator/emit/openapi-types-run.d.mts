import type TS from 'typescript';

type Json = Record<string, any>;

/** openapi-typescript's module, the Redocly core and the TypeScript it imports. */
export interface OpenapiTypescript {
  ots: typeof import('openapi-typescript');
  core: Json;
  ts: typeof TS;
}

export interface Transformed {
  /** The bundled document openapi-typescript transformed: `ctx.resolve` reads it. */
  schema: Json;
  ctx: Json;
  statements: TS.Node[];
  printed: string;
}

export interface ParseProblem {
  line: number;
  column: number;
  message: string;
}

/** `require` as openapi-typescript's own (its Redocly and TypeScript may not be errata's). */
export function requireFromOpenapiTypescript(): NodeJS.Require;
export function loadOpenapiTypescript(): Promise<OpenapiTypescript>;
export function transformText(text: string, options: Readonly<Record<string, boolean>>, tools: OpenapiTypescript): Promise<Transformed>;
/** Whether the printed text of these nodes parses, as far as their verbatim leaves tell. */
export function leavesWellFormed(ts: typeof TS, statements: readonly TS.Node[]): boolean;
/** The parse problems of the printed text of `statements`: the parser runs only when leavesWellFormed cannot vouch. */
export function printedProblems(ts: typeof TS, statements: readonly TS.Node[], printed: string): ParseProblem[];
export function parseProblems(ts: typeof TS, text: string, offset?: number): ParseProblem[];
