import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readAt, type Codec } from '../../runtime/codec';
import { BundledContract } from '../helpers/bundled';
import { ROOT, errataInProcess, runtimeCopy, tempTree, typecheck } from '../helpers/cli';
import { generated } from '../helpers/generate';
import type { Found } from '../lint/redocly';
import { lintAll } from '../lint/setup';

type Json = Record<string, any>;

/**
 * One envelope fixture end to end (issue 13, item 1): its generated output imported from a
 * consumer-like folder (node_modules linked, for the client's openapi-fetch), its bundled contract
 * for an independent validator, and every error body its contract documents.
 */
export interface Fixture {
  out: string;
  server: Json;
  catalog: Json;
  client: Json;
  bundled: BundledContract;
  documented: Documented[];
}

/** A body the contract documents: one example of one code under one status of one operation. */
export interface Documented {
  operation: string;
  method: string;
  path: string;
  status: number;
  code: string;
  /** The example's value, and the pointer of the response schema it documents. */
  value: unknown;
  schema: string;
}

export async function loadFixture(spec: string): Promise<Fixture> {
  const out = await generated({ spec }, [], { nodeModules: true });
  const load = (file: string) => import(pathToFileURL(path.join(out, file)).href);
  const [server, catalog, client] = await Promise.all([load('server.ts'), load('catalog.ts'), load('client.ts')]);
  const bundled = new BundledContract(JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8')));
  const documented: Documented[] = [];
  for (const r of bundled.errorResponses()) {
    const operation = Object.entries<Json>(catalog.operations).find(([, op]) => op.method === r.method && op.path === r.path)![0];
    for (const code of r.codes) {
      const value = r.media.examples?.[code]?.value;
      if (value === undefined) continue;
      documented.push({ operation, method: r.method, path: r.path, status: Number(r.status), code, value, schema: `${r.pointer}/content/${r.mediaType.replace(/~/g, '~0').replace(/\//g, '~1')}/schema` });
    }
  }
  return { out, server, catalog, client, bundled, documented };
}

/** The codec a code's bodies use, from the generated tables. */
export function codecOf(catalog: Json, code: string): Codec {
  const name = catalog.catalog[code].envelope ?? 'default';
  return (catalog.codecs as Codec[]).find((c) => c.name === name)!;
}

/** What a builder needs to send `d` again: its code, status and the meta the example shows. */
export function inputFor(catalog: Json, d: Documented): Json {
  const meta = readAt(d.value, codecOf(catalog, d.code).meta);
  return { code: d.code, status: d.status, ...(meta === undefined ? {} : { meta }) };
}

/**
 * A Node HTTP server on loopback running the generated helpers: a request names the operation's
 * builder input in an `x-emit` header (`{ operation, input }`), and the handler returns that
 * builder's result, which the helpers' Node adapter sends.
 */
export async function emitServer(server: Json, options: Json = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const errata = server.createServerErrors(options);
  const handler = errata.node(async (req: IncomingMessage, _res: ServerResponse, scope: Json) => {
    const { operation, input } = JSON.parse(String(req.headers['x-emit']));
    return scope.errors[operation](input);
  });
  const http = createServer((req, res) => void handler(req, res));
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => http.close(() => done())),
  };
}

/**
 * Writes a usage file next to the generated client and type-checks it with the real compiler, with
 * every generated file whole but the runtime copy (helpers/cli.ts's runtimeCopy).
 */
export function typecheckUsage(out: string, usage: string): { code: number; output: string } {
  const file = path.join(out, 'usage.ts');
  writeFileSync(file, usage);
  return typecheck([file], undefined, { except: [runtimeCopy(out)] });
}

/**
 * `errata/all` and Redocly's recommended rules over several contracts, in one real Redocly CLI run
 * (test/lint/setup.ts), with the plugin built from source.
 */
export async function lint(specs: readonly string[], config = 'extends: [recommended, errata/all]'): Promise<Map<string, { code: number; problems: Found[] }>> {
  return lintAll(specs, config);
}

/** A copy of a fixture folder with `edit` applied to one of its files. */
export function editedCopy(fixture: string, file: string, edit: (text: string) => string): string {
  const dir = path.join(ROOT, 'test/fixtures', fixture);
  const files: Record<string, string> = {};
  for (const name of ['openapi.yaml', 'errors.yaml']) files[name] = readFileSync(path.join(dir, name), 'utf8');
  const before = files[file]!;
  files[file] = edit(before);
  if (files[file] === before) throw new Error(`the edit changed nothing in ${fixture}/${file}`);
  return tempTree(files, 'errata-envelope-');
}

/**
 * Generate's problems (in process) and lint's (the `errata/` rules; `linted` holds the result of a
 * `lint` run that included the folder's openapi.yaml), each as `file:line message`.
 */
export async function bothWays(dir: string, linted: Map<string, { problems: Found[] }>): Promise<{ generate: string[]; lint: string[]; code: number }> {
  const r = await errataInProcess(['generate', '--spec', 'openapi.yaml', '--out', 'out'], dir);
  const generate = [...r.stderr.matchAll(/^(\S+?):(\d+):\d+ #\S*\n  error: (.*)\n  fix:   (.*)$/gm)].map((m) => `${path.basename(m[1]!)}:${m[2]} ${m[3]}. Fix: ${m[4]}`);
  const l = linted.get(path.join(dir, 'openapi.yaml'));
  if (!l) throw new Error(`${dir}/openapi.yaml was not linted`);
  return { generate: generate.sort(), lint: l.problems.filter((p) => p.ruleId.startsWith('errata/')).map((p) => `${path.basename(p.file)}:${p.line} ${p.message}`).sort(), code: r.code };
}

/** The reference page the docs command builds (Redoc through Redocly CLI), as HTML. */
export async function referenceHtml(spec: string): Promise<string> {
  const dir = tempTree({}, 'errata-docs-');
  const r = await errataInProcess(['docs', '--spec', spec, '--out', path.join(dir, 'index.html')], ROOT);
  if (r.code !== 0) throw new Error(`errata docs failed:\n${r.stdout}${r.stderr}`);
  return readFileSync(path.join(dir, 'index.html'), 'utf8');
}
