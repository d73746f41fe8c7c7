import { readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, declarationSharingHost, tempTree } from '../helpers/cli';

/**
 * Every TypeScript snippet of README.md and docs/*.md, type-checked by the real compiler as a
 * user's project would compile it: strict plus the repository's stricter flags, errata's public
 * import names (`errata`, `errata/runtime/server`, `errata/adapters/node`, …) mapped to this
 * checkout, and `./generated/...` the committed Picora output. One program for all snippets.
 *
 * A snippet may be preceded by `<!-- snippet-context: … -->`, declarations of the reader's own
 * code it calls (`auth`, `images`), or by `<!-- not-compiled: reason -->` when it is deliberately
 * not a program (it shows a compile error, or elides a body).
 */

interface Snippet {
  file: string;
  line: number;
  code: string;
  context: string;
  skipped?: string;
}

function snippets(): Snippet[] {
  const files = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const found: Snippet[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const block = /^(?:<!-- (snippet-context|not-compiled): ([\s\S]*?) -->\n)?(`{3,})(?:ts|typescript)\n([\s\S]*?)\n\3$/gm;
    for (const m of text.matchAll(block)) {
      const line = text.slice(0, m.index + (m[1] ? m[0].indexOf('```') : 0)).split('\n').length;
      found.push({ file, line, code: m[4]!, context: m[1] === 'snippet-context' ? m[2]! : '', ...(m[1] === 'not-compiled' ? { skipped: m[2]! } : {}) });
    }
  }
  return found;
}

/** errata's package exports, as package.json names them, pointed at this checkout's sources. */
const PACKAGE_PATHS: Record<string, string[]> = {
  errata: ['generator/index.ts'],
  'errata/redocly-plugin': ['generator/lint/plugin.ts'],
  'errata/runtime/server': ['runtime/server.ts'],
  'errata/runtime/client': ['runtime/client.ts'],
  ...Object.fromEntries(['node', 'express', 'fastify', 'hono', 'fetch'].map((a) => [`errata/adapters/${a}`, [`runtime/adapters/${a}/index.ts`]])),
};

describe('TypeScript snippets in README.md and docs/', () => {
  const all = snippets();

  it('maps every export of package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const names = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? 'errata' : `errata/${k.slice(2)}`));
    expect(Object.keys(PACKAGE_PATHS).sort()).toEqual(names.sort());
  });

  it('compile under strict and the repository\'s stricter flags', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
    const compiled = all.filter((s) => !s.skipped);
    // Few exceptions, each with its reason.
    expect(all.length - compiled.length).toBeLessThanOrEqual(2);
    const dir = tempTree({});
    symlinkSync(path.join(ROOT, 'generated'), path.join(dir, 'generated'), 'dir');
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const names = compiled.map((s, i) => {
      const name = path.join(dir, `snippet-${i}.ts`);
      // A module of its own even without imports; the reader's context first, on the same lines as none of the snippet's.
      writeFileSync(name, `${s.context}\n${s.code}\nexport {};\n`);
      return name;
    });
    const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
    const options: import('typescript').CompilerOptions = {
      noEmit: true,
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      isolatedModules: true,
      verbatimModuleSyntax: false,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      baseUrl: ROOT,
      paths: PACKAGE_PATHS,
    };
    // Declarations under node_modules parsed once per test process, shared with `typecheck`'s programs.
    const program = ts.createProgram(names, options, declarationSharingHost(ts, options));
    // The snippets' own diagnostics and those of no file (options, globals): what the reader sees.
    // Asking only for these, the checker types errata's sources as far as the snippets use them,
    // instead of checking every body of generator/ (npm run typecheck's job).
    const snippetFiles = names.map((name) => program.getSourceFile(name)!);
    const problems = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...snippetFiles.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
    ]
      .filter((d) => d.file === undefined || names.includes(path.resolve(d.file.fileName)))
      .map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        if (!d.file || d.start === undefined) return message;
        const s = compiled[names.indexOf(path.resolve(d.file.fileName))]!;
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        // Line 1 of the file is the context; the snippet's first line is the fence's next line.
        return `${s.file}:${s.line + 1 + line - s.context.split("\n").length}: ${message}`;
      });
    expect(problems).toEqual([]);
  });
});
