import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { errataInProcess, runtimeCopy, tempTree, typecheck } from './helpers/cli';
import { generated } from './helpers/generate';
import { FRAGMENTS, H, INVISIBLE, RAW_INVISIBLE, hostileContract } from './helpers/hostile';

const SKIPPED = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.SingleLineCommentTrivia,
  ts.SyntaxKind.MultiLineCommentTrivia,
  ts.SyntaxKind.WhitespaceTrivia,
  ts.SyntaxKind.NewLineTrivia,
]);

/** Source text that is neither a string literal nor a comment: where injected code would run. */
function liveCode(source: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  let live = '';
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (SKIPPED.has(kind)) continue;
    if (kind === ts.SyntaxKind.Unknown) throw new Error(`unscannable token at ${scanner.getTokenStart()}: ${scanner.getTokenText()}`);
    live += `${scanner.getTokenText()} `;
  }
  return live;
}

describe('hostile strings in a contract', () => {
  let out: string;
  beforeAll(async () => {
    // Generated once per run (helpers/generate.ts), shared with test/client/emit.test.ts.
    out = await generated({ files: { 'openapi.json': hostileContract() }, spec: 'openapi.json' });
  });

  it('generated TypeScript type-checks', () => {
    const files = readdirSync(out).filter((f) => f.endsWith('.ts')).map((f) => path.join(out, f));
    expect(files.length).toBeGreaterThan(1);
    const r = typecheck(files, undefined, { except: [runtimeCopy(out)] });
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('no hostile fragment appears outside string literals and comments', () => {
    for (const f of readdirSync(out).filter((f) => f.endsWith('.ts'))) {
      const live = liveCode(readFileSync(path.join(out, f), 'utf8'));
      for (const fragment of FRAGMENTS) expect(live, `${f} has ${fragment} as live code`).not.toContain(fragment);
    }
  });

  it('the strings survive as data, byte for byte', async () => {
    const mod = await import(path.join(out, 'catalog.ts'));
    const entry = mod.catalog.HOSTILE_CODE;
    expect(entry.description).toBe(H);
    expect(entry.fix).toBe(H);
    expect(entry.category).toBe(H);
    expect(Object.values(mod.operations).map((o: any) => o.id)).toEqual([H]);
    const catalogJson = JSON.parse(readFileSync(path.join(out, 'catalog.json'), 'utf8'));
    expect(catalogJson.codes.HOSTILE_CODE.notes).toBe(H);
    const bundled = JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'));
    expect(bundled.info.title).toBe(H);
  });

  it('a hostile error code is refused, not generated', async () => {
    const d = tempTree({ 'openapi.json': hostileContract('BAD"); process.exit(7); ("') });
    const r = await errataInProcess(['generate', '--spec', 'openapi.json', '--out', 'generated'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not UPPER_SNAKE_CASE');
    expect(readdirSync(d)).toEqual(['openapi.json']);
  });

  it('invisible characters in every field are \\u escapes in generated TypeScript and survive as data (issue 12, item 21)', { timeout: 240_000 }, async () => {
    const text = `${H} ${INVISIBLE}`;
    const d = tempTree({ 'openapi.json': hostileContract('HOSTILE_CODE', text) });
    const r = await errataInProcess(['generate', '--spec', 'openapi.json', '--out', 'generated'], d);
    expect(r.code, r.stderr).toBe(0);
    const generated = path.join(d, 'generated');
    const files = readdirSync(generated, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of files) expect(readFileSync(path.join(generated, f), 'utf8'), f).not.toMatch(RAW_INVISIBLE);
    const mod = await import(path.join(generated, 'catalog.ts'));
    expect(mod.catalog.HOSTILE_CODE.description).toBe(text);
  });
});
