import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';
import { sharingHost } from '../helpers/cli';

// Loaded on first use, from this repository (the TypeScript version errata pins).
const ts = createRequire(import.meta.url)('typescript') as typeof TS;

/**
 * Parsed files (the standard library, packages' declarations, generated code) shared by every
 * program of this test process, keyed as TypeScript's own DocumentRegistry keys them when a
 * language service shares files across programs: file name, language version and module format
 * (ESM or CommonJS, from package.json). Test files never change a file they have compiled.
 */
const parsed = new Map<string, TS.SourceFile>();

/**
 * `tsc -p <config>` in this process: TypeScript reads the tsconfig (and each package.json) itself,
 * builds the program and returns what tsc would print ('' when it would print nothing). Every
 * program is checked from scratch by tsc's checker; only parsing is shared. Emits when the config
 * does not say `noEmit`, as tsc does.
 */
export function tscProject(config: string): string {
  const dir = path.dirname(config);
  const report: TS.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' };
  const line = ts.getParsedCommandLineOfConfigFile(config, {}, {
    ...ts.sys,
    getCurrentDirectory: () => dir,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.formatDiagnostics([d], report));
    },
  })!;
  const host = sharingHost(ts, line.options, parsed, () => true);
  const program = ts.createProgram({ rootNames: line.fileNames, options: line.options, projectReferences: line.projectReferences, host, configFileParsingDiagnostics: line.errors });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...(line.options.noEmit ? [] : program.emit().diagnostics)];
  return diagnostics.length === 0 ? '' : ts.formatDiagnostics(diagnostics, report);
}
