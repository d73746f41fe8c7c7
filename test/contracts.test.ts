import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundledContract } from './helpers/bundled';
import { generate } from '../generator/generate';
import { ROOT, errataInProcess, runtimeCopy } from './helpers/cli';
import { cachedOutput, cliOrigin } from './helpers/generate';
import { typecheckEach } from './helpers/typecheck-batch';

/** Picora's contract and the fixtures with other envelope shapes all go through the same pipeline. */
const CONTRACTS = [
  path.join(ROOT, 'openapi/openapi.yaml'),
  ...['nested-error', 'detail-wrapper', 'problem-json'].map((f) => path.join(ROOT, 'test/fixtures', f, 'openapi.yaml')),
];

function setAt(body: any, pointer: string, value: unknown) {
  const tokens = pointer.split('/').slice(1);
  let at = body;
  for (const t of tokens.slice(0, -1)) at = at[t] ??= {};
  at[tokens[tokens.length - 1]!] = value;
}

/**
 * Each contract's output (generated once per run), and its TypeScript type-checked with the other
 * contracts' in one compiler program: the same diagnostics per output folder, one compiler start-up.
 */
const outputs = new Map<string, { out: string; typecheck: { code: number; output: string } }>();
beforeAll(async () => {
  const outs: string[] = [];
  for (const spec of CONTRACTS) outs.push(await cachedOutput({ spec }));
  const tsFiles = (out: string) =>
    readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.ts'))
      .map((d) => path.join(d.parentPath, d.name));
  // Every output's runtime/ is the same copy of errata's runtime (runtimeCopy checks it): checked
  // whole once, in Picora's output, and in the others as far as their own files use it.
  const checked = typecheckEach(
    outs.map((out) => ({ dir: out, files: tsFiles(out) })),
    { except: outs.slice(1).map(runtimeCopy) },
  );
  CONTRACTS.forEach((spec, i) => outputs.set(spec, { out: outs[i]!, typecheck: checked[i]! }));
});

describe.each(CONTRACTS)('%s', (spec) => {
  let out: string;
  let bundled: BundledContract;
  let catalog: any;

  beforeAll(() => {
    out = outputs.get(spec)!.out;
    bundled = new BundledContract(JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8')));
    catalog = JSON.parse(readFileSync(path.join(out, 'catalog.json'), 'utf8'));
  });

  it('generates the same bytes twice', async () => {
    // `out` was written by the CLI's `main` (perhaps for another test file, in another worker); this
    // run is the pipeline's API, called again. Across processes, the drift test below compares with
    // the committed generated/.
    const { files } = await generate(spec, { origin: cliOrigin({ spec }) });
    const written = readdirSync(out, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(out, path.join(d.parentPath, d.name)).split(path.sep).join('/')).sort();
    expect(files.map((f) => f.path).sort()).toEqual(written);
    for (const f of files) expect(f.contents, f.path).toBe(readFileSync(path.join(out, f.path), 'utf8'));
  });

  it('every error response admits exactly the codes declared for it, and its examples validate', () => {
    const responses = bundled.errorResponses();
    expect(responses.length).toBeGreaterThan(0);
    const codePointer = catalog.envelope.code as string;
    const metaPointer = catalog.envelope.meta as string | undefined;
    for (const r of responses) {
      const where = `${r.method} ${r.path} ${r.status}`;
      expect(r.mediaType, where).toBe(catalog.envelope.mediaType);
      const schemaPointer = `${r.pointer}/content/${r.mediaType.replace(/\//g, '~1')}/schema`;
      const examples = Object.entries<any>(r.media.examples ?? {});
      expect(examples.map(([k]) => k).sort(), where).toEqual([...r.codes].sort());
      for (const [code, example] of examples) {
        const res = bundled.validate(schemaPointer, example.value);
        expect(res.valid, `${where} example ${code}: ${res.errors}`).toBe(true);
      }
      // Swap the code of a valid body for every other catalog code: only declared ones may pass.
      const template = examples[0]![1].value;
      for (const [code, entry] of Object.entries<any>(catalog.codes)) {
        const body = structuredClone(template);
        setAt(body, codePointer, code);
        if (metaPointer && entry.example !== undefined) setAt(body, metaPointer, entry.example);
        if (metaPointer && entry.example === undefined && !entry.meta) setAt(body, metaPointer, {});
        const res = bundled.validate(schemaPointer, body);
        if (r.codes.includes(code)) expect(res.valid, `${where} must admit ${code}: ${res.errors}`).toBe(true);
        else expect(res.valid, `${where} must not admit ${code}`).toBe(false);
      }
      if (codePointer.split('/').length === 2) {
        const mapping = r.media.schema.discriminator?.mapping ?? {};
        expect(Object.keys(mapping).sort(), `${where} discriminator mapping`).toEqual([...r.codes].sort());
      }
    }
  });

  it('the generated TypeScript type-checks', () => {
    const r = outputs.get(spec)!.typecheck;
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the Picora contract against its seed page', () => {
  it("has every code of the seed page's error reference, with the page's statuses", () => {
    // The page's facts, kept in the repository (tests read nothing outside it).
    const page = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/seed-page-codes.json'), 'utf8')) as { codes: Record<string, number[]> };
    const rows = Object.entries(page.codes);
    expect(rows.length).toBeGreaterThanOrEqual(25);
    const bundled = JSON.parse(readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8'));
    const codes = bundled['x-errata'].catalog.codes;
    for (const [code, statuses] of rows) {
      expect(codes[code], code).toBeDefined();
      const status = Array.isArray(codes[code].status) ? codes[code].status : [codes[code].status];
      expect([...status].sort(), code).toEqual([...statuses].sort());
    }
  });

  it('declares, per operation, codes that are visible as const values in the bundled contract', () => {
    const doc = JSON.parse(readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8'));
    const contract = new BundledContract(doc);
    const ops = new Set(contract.errorResponses().map((r) => `${r.method} ${r.path}`));
    expect(ops.size).toBeGreaterThanOrEqual(15);
    for (const r of contract.errorResponses()) {
      const consts = (r.media.schema.oneOf as { $ref: string }[]).map((o) => contract.at(o.$ref).properties.code.const);
      expect(consts.sort()).toEqual([...r.codes].sort());
    }
    const get = doc.paths['/v1/docs/{id}']?.get;
    expect(JSON.stringify(get ?? {})).not.toContain('DOC_HASH_DUPLICATE');
  });

  // `.ci/run` runs this check before anything regenerates generated/ and fails if the main job
  // changes it afterwards (test/ci.test.ts), so by the time the tests run generated/ is what is
  // committed, and this compares the committed files with what the contract generates.
  it('keeps generated/ in the repository in step with the contract', async () => {
    expect(existsSync(path.join(ROOT, 'generated/README.md'))).toBe(true);
    // The CLI's own `main` in this process; test/ci.test.ts runs the real bin through `.ci/run`.
    const r = await errataInProcess(['generate', '--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
