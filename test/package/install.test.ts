import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { packageCopy } from '../helpers/package-copy';
import { patch } from '../helpers/patch';
import { parseJsonReports } from '../lint/redocly';

/**
 * errata as another team installs it: `npm pack`, then a fresh project in a temporary folder
 * outside this repository (its own node_modules only, installed from the npm cache) with its own
 * contract and envelope, where the installed package is used only through its bin, its exports
 * and `npx redocly`.
 *
 * The tests run concurrently (most of their time is a child process's): a step another test builds
 * on (generating, compiling) is started once, by whichever test needs it first, and awaited by the
 * others.
 */
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; devDependencies: Record<string, string> };
const env: NodeJS.ProcessEnv = { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
// Nothing of this repository may leak in through the environment.
delete env.NODE_PATH;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
/**
 * What `npx <name>` runs in the project: its node_modules/.bin entry. Each binary is run once
 * through `npx` itself; repeats call the entry directly, without another npm start-up.
 */
function bin(name: string): string {
  return path.join(project, 'node_modules/.bin', name);
}
/** The command's stdout; a command that fails fails the test with its whole output. */
function ok(r: Run, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
/** A step started by the first caller; later callers await the same run. */
function once<T>(step: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => (started ??= step());
}

const STRICT = {
  strict: true, exactOptionalPropertyTypes: true, erasableSyntaxOnly: true, noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true, noUnusedParameters: true, noUncheckedIndexedAccess: true, verbatimModuleSyntax: true,
  isolatedModules: true, skipLibCheck: true, target: 'ES2022', lib: ['ES2023', 'DOM'], types: ['node'],
};

/** The service: an Express 5 route on errata's adapter, answering the contract's declared errors. */
const SERVER = `import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler, route } from 'errata/adapters/express';
import { errata } from './generated/server.js';

const app = express();
app.get('/notes/:id', route(errata, async (req, _res, { errors, json }) => {
  if (req.params['id'] === '7') return json(200, { id: 7, title: 'Groceries', body: 'Milk', locked: false });
  return errors.getNote({ code: 'NOTE_NOT_FOUND' });
}));
app.use(errorHandler(errata));
const server = createServer(app).listen(0, '127.0.0.1', () => {
  process.stdout.write(\`listening \${(server.address() as AddressInfo).port}\\n\`);
});
`;

let project: string;

describe.concurrent('the packed tarball installed into a fresh project', () => {
  let work: string;
  let tarball: string;
  let packed: { files: { path: string }[]; size: number; unpackedSize: number; filename: string };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'errata-install-'));
    // Packed from a copy: `prepack` builds dist/, which in the checkout would make every errata run
    // of the other test files (and the developer's) use that build instead of the sources.
    const source = packageCopy();
    for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md']) cpSync(path.join(ROOT, file), path.join(source, file));
    const packing = run('npm', ['pack', '--json', '--pack-destination', work], source);
    // The project is set up while npm packs.
    project = path.join(work, 'service');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'notes-service', private: true, type: 'module' }, null, 2));
    cpSync(path.join(ROOT, 'test/fixtures/detail-wrapper'), path.join(project, 'openapi'), { recursive: true });
    writeFileSync(
      path.join(project, 'redocly.yaml'),
      'telemetry: off\nplugins:\n  - errata/redocly-plugin\nextends:\n  - recommended\n  - errata/all\napis:\n  notes@v1:\n    root: ./openapi/openapi.yaml\n    x-errata:\n      output: ./src/generated\n      docs: ./site/index.html\n',
    );
    packed = (JSON.parse(ok(await packing, 'npm pack')) as (typeof packed)[])[0]!;
    tarball = path.join(work, packed.filename);
    const d = pkg.devDependencies;
    ok(await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-exact', tarball, `express@${d['express']}`, `@types/express@${d['@types/express']}`, `@types/node@${d['@types/node']}`], project), 'npm install');
  }, 600_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** `npx errata generate` in the project, with no flags: what the generate test checks, and what lint and tsc read. */
  const generated = once(async () => ok(await run('npx', ['errata', 'generate'], project), 'npx errata generate'));

  /** The service's sources and the project's two tsconfigs, built by the project's own tsc. */
  const compiled = once(async () => {
    await generated();
    mkdirSync(path.join(project, 'src'), { recursive: true });
    writeFileSync(path.join(project, 'src/server.ts'), SERVER);
    // The programmatic API's exports and types, as a build script would use them.
    writeFileSync(
      path.join(project, 'src/regenerate.ts'),
      "import { generate, type GenerateResult } from 'errata';\nexport const regenerate = (): Promise<GenerateResult> => generate({ spec: 'openapi/openapi.yaml', out: 'src/generated', check: true });\n",
    );
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...STRICT, module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'build', rootDir: 'src' }, include: ['src'] }));
    writeFileSync(path.join(project, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...STRICT, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['src'] }));
    // The real tsc the project installed, both projects in one `tsc --build` (which reuses parsed
    // files between them): NodeNext, which also emits (the service below runs the compiled
    // JavaScript), and the same sources under Bundler resolution.
    return run(process.execPath, [path.join(project, 'node_modules/typescript/bin/tsc'), '--build', 'tsconfig.json', 'tsconfig.bundler.json'], project);
  });

  it('ships the built package and no repository-only files', ({ expect }) => {
    const files = packed.files.map((f) => f.path);
    expect(files).toContain('bin/errata.mjs');
    expect(files).toContain('dist/generator/index.js');
    expect(files).toContain('dist/generator/index.d.ts');
    expect(files).toContain('dist/generator/lint/plugin.js');
    expect(files).toContain('runtime/server.ts');
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => /^(openapi|test|bench|examples|generated|\.ci|scripts)\//.test(f) || /\.test(-d)?\.[jt]s$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('generator/'))).toEqual([]);
  }, 300_000);

  it('runs `errata --version` from the built JavaScript', async ({ expect }) => {
    expect(ok(await run(bin('errata'), ['--version'], project), 'errata --version').trim()).toBe(pkg.version);
    expect(existsSync(path.join(project, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(path.join(project, 'node_modules/esbuild'))).toBe(false);
  }, 300_000);

  it('generates from redocly.yaml with no flags, naming the project\'s own paths', async ({ expect }) => {
    expect(await generated()).toContain('wrote 12 files to src/generated/ from openapi/openapi.yaml');
    const server = readFileSync(path.join(project, 'src/generated/server.ts'), 'utf8');
    expect(server.split('\n')[0]).toBe('// Generated by errata from openapi/openapi.yaml. Do not edit: change the contract and run `npx errata generate`.');
    expect(ok(await run(bin('errata'), ['generate', '--check'], project), 'errata generate --check')).toContain('src/generated/ matches openapi/openapi.yaml');
  }, 300_000);

  it('lints with plain `npx redocly lint` and the plugin from the installed package, the bundled output too', async ({ expect }) => {
    const r = await run('npx', ['redocly', 'lint', '--format', 'stylish'], project);
    expect(r.stderr).toContain("using lint rules for api 'notes@v1'");
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // One more run, two files: the bundled output is clean, and errata's rules are really on (an
    // unknown code in a copy of the contract beside it fails the command). The contract itself is
    // never changed: the other tests read it meanwhile.
    await generated();
    const contract = readFileSync(path.join(project, 'openapi/openapi.yaml'), 'utf8');
    writeFileSync(path.join(project, 'openapi/unknown-code.yaml'), patch(contract, 'x-errata-codes: [NOTE_NOT_FOUND]', 'x-errata-codes: [NOTE_GONE]'));
    const both = await run(bin('redocly'), ['lint', 'src/generated/openapi.json', 'openapi/unknown-code.yaml', '--format', 'json'], project);
    rmSync(path.join(project, 'openapi/unknown-code.yaml'));
    const [bundled, unknown] = parseJsonReports(both.stdout);
    expect(bundled!.totals.errors, both.stdout).toBe(0);
    expect(unknown!.problems.map((p) => `${p.ruleId} ${p.file}`)).toContain('errata/error-code-defined openapi/unknown-code.yaml');
    expect(both.status).toBe(1);
    expect(existsSync(path.join(project, 'node_modules/errata/.redocly.lint-ignore.yaml'))).toBe(false);
  }, 300_000);

  it('renders the docs', async ({ expect }) => {
    ok(await run(bin('errata'), ['docs'], project), 'errata docs');
    const page = readFileSync(path.join(project, 'site/index.html'), 'utf8');
    expect(page).toContain('NOTE_NOT_FOUND');
  }, 300_000);

  it('type-checks the generated code and an Express service under NodeNext (stricter flags) and Bundler', async ({ expect }) => {
    const built = await compiled();
    expect(built.stdout + built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(existsSync(path.join(project, 'build/server.js'))).toBe(true);
    writeFileSync(path.join(project, 'check.mjs'), "const { regenerate } = await import('./build/regenerate.js');\nconsole.log(JSON.stringify((await regenerate()).drift));\n");
    const api = await run(process.execPath, ['check.mjs'], project);
    expect(api.stdout.trim(), api.stderr).toBe('[]');
  }, 300_000);

  it('answers a declared error from an Express route over HTTP', async ({ expect }) => {
    // tsc emits build/ even when it reports errors: the type check is the previous test's to judge.
    await compiled();
    const child = spawn(process.execPath, ['build/server.js'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let errors = '';
      child.stderr.on('data', (d: Buffer) => (errors += d));
      const port = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          const m = /listening (\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${errors}`)));
      });
      const res = await fetch(`http://127.0.0.1:${port}/notes/8`, { headers: { 'x-request-id': 'notes-404' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe('notes-404');
      // Model v2: the wire message is the code's catalog `message`, else the status's reason phrase;
      // NOTE_NOT_FOUND declares none, and its `description` is documentation, never sent.
      expect(await res.json()).toEqual({ detail: { code: 'NOTE_NOT_FOUND', message: 'Not Found' } });
      const found = await fetch(`http://127.0.0.1:${port}/notes/7`);
      expect(found.status).toBe(200);
    } finally {
      child.kill();
    }
  }, 300_000);
});
