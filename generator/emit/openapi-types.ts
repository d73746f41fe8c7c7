import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ContractError } from '../errors';
import type { Document } from '../load/load-contract';
import { tsSource } from '../model/escape';
import { parsePointer } from '../model/pointer';
import { isRecord } from '../model/resolve';
import { openapiJsonText } from './openapi-json';
import type { Emitter, EmittedFile } from './types';

/**
 * openapi-typescript runs on its own thread: loading it (and TypeScript) takes a second and a half,
 * which the CLI overlaps with reading the contract (preloadOpenapiTypes), and its run overlaps with
 * the other emitters. The thread reads openapi.json's text (see `typesInput`). The same thread,
 * with TypeScript already loaded, then parses every emitted TypeScript file (`checkSyntax`).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.module);
loaded.catch(() => {});
parentPort.on('message', async (message) => {
  try {
    if (message.kind === 'types') {
      const { default: openapiTS, astToString } = await loaded;
      parentPort.postMessage({ ok: true, ts: astToString(await openapiTS(message.text, { ...message.options, silent: true })) });
      return;
    }
    // Syntax only: no type checking, no lib, no imports followed. What openapi-typescript loaded.
    await loaded;
    const ts = (await import(workerData.typescript)).default;
    const problems = [];
    for (const file of message.files) {
      const source = ts.createSourceFile(file.path, file.contents, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
      // The parser's own diagnostics (what \`getSyntacticDiagnostics\` returns for a .ts file), without a program around it.
      for (const d of source.parseDiagnostics ?? []) {
        const at = source.getLineAndCharacterOfPosition(d.start ?? 0);
        problems.push({ file: file.path, line: at.line + 1, column: at.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') });
      }
    }
    parentPort.postMessage({ ok: true, problems });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String(e && e.message !== undefined ? e.message : e), stack: e && e.stack });
  }
});
`;

function moduleUrls(): { module: string; typescript: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('openapi-typescript/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { import: string } } };
  // The TypeScript openapi-typescript itself imports: the one already loaded on its thread.
  const typescript = createRequire(manifest).resolve('typescript');
  return { module: pathToFileURL(path.join(path.dirname(manifest), exports['.'].import)).href, typescript: pathToFileURL(typescript).href };
}

let preloaded: Worker | undefined;
/** Each generation's thread, from its types until its syntax check (or `releaseTypesThread`). */
const threads = new WeakMap<Document, Worker>();

function startWorker(): Worker {
  const worker = new Worker(WORKER, { eval: true, workerData: moduleUrls() });
  // Until its answer is awaited, the thread must not keep a failing run alive.
  worker.unref();
  return worker;
}

/** Starts openapi-typescript's thread now, so it has loaded by the time the emitter needs it. */
export function preloadOpenapiTypes(): void {
  preloaded ??= startWorker();
}

function threadFor(bundled: Document): Worker {
  let worker = threads.get(bundled);
  if (!worker) {
    worker = preloaded ?? startWorker();
    preloaded = undefined;
    threads.set(bundled, worker);
  }
  return worker;
}

function ask<T>(worker: Worker, message: unknown): Promise<T> {
  worker.ref();
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage).off('error', reject).off('exit', onExit);
      worker.unref();
    };
    const onMessage = (m: ({ ok: true } & T) | { ok: false; message: string; stack?: string }) => {
      done();
      if (m.ok) resolve(m as T);
      else reject(Object.assign(new Error(m.message), m.stack ? { stack: m.stack } : {}));
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`openapi-typescript's thread stopped (exit code ${code}) before answering`));
    };
    worker.on('message', onMessage).once('error', reject).once('exit', onExit);
    worker.postMessage(message);
  });
}

/** Ends the thread of a generation (after its syntax check, or when it failed before). */
export async function releaseTypesThread(bundled: Document): Promise<void> {
  const worker = threads.get(bundled);
  threads.delete(bundled);
  await worker?.terminate();
}

/**
 * openapi-typescript names a `$ref` by its path, so one into `x-errata` (a code's meta that
 * reuses another code's: `$ref: '#/codes/BAD_FIELD/meta'` in the catalog file) would become
 * `x-errata["catalog"]…`, which is not TypeScript. Such references are inlined in the text it
 * reads (openapi.json keeps them: they are valid JSON references); a circular one cannot be, and
 * fails generation with what to do. Without any, the input is openapi.json's text as written.
 */
export function typesInput(bundled: Document): string {
  const text = openapiJsonText(bundled);
  if (!/"\$ref": "#\/(?!components\/|paths\/|webhooks\/)/.test(text)) return text;
  const problems: { pointer: string; message: string; fix: string }[] = [];
  // `stack`: the references being inlined around this node (a repeat is a cycle).
  const inline = (node: unknown, stack: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => inline(n, stack));
    if (!isRecord(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && /^#\/(?!components\/|paths\/|webhooks\/)/.test(ref)) {
      if (stack.includes(ref)) {
        if (!problems.some((p) => p.pointer === ref.slice(1))) {
          problems.push({ pointer: ref.slice(1), message: `the schema ${ref} contains itself, and is not under #/components/schemas: TypeScript types can only name a recursive schema there`, fix: 'move it to `components/schemas` and reference it as `#/components/schemas/Name`' });
        }
        return {};
      }
      let target: unknown = bundled;
      for (const token of parsePointer(ref.slice(1))) target = isRecord(target) || Array.isArray(target) ? (target as Record<string, unknown>)[token] : undefined;
      const { $ref: _ref, ...siblings } = node;
      return { ...(inline(target, [...stack, ref]) as Record<string, unknown>), ...(inline(siblings, stack) as Record<string, unknown>) };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, stack)]));
  };
  // Root extensions (`x-errata` itself) are not types: kept as written.
  const copy = Object.fromEntries(Object.entries(bundled).map(([k, v]) => [k, k.startsWith('x-') ? v : inline(v, [])]));
  if (problems.length > 0) throw new ContractError(problems);
  return JSON.stringify(copy, null, 2);
}

/**
 * Types for `paths` and `components` by openapi-typescript, from the expanded contract, so every
 * error response is already a union of its codes. The other emitters' types index into these.
 */
export const openapiTypes: Emitter = async ({ bundled, openapiTypescript }) => {
  const text = typesInput(bundled);
  const { ts } = await ask<{ ts: string }>(threadFor(bundled), { kind: 'types', text, options: openapiTypescript ?? {} });
  const header = '// Generated by errata with openapi-typescript from openapi.json. Do not edit.\n\n';
  // openapi-typescript copies descriptions into comments as written: bidi controls become escapes.
  return [{ path: 'openapi.ts', contents: header + tsSource(ts) }];
};

export interface SyntaxProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * Parses every emitted TypeScript file a contract string reaches on the thread that made openapi.ts
 * (TypeScript is loaded there already): generation never succeeds with output that does not
 * parse. Then ends the thread. On Picora this costs about 0.2 s of CPU (the parser, cold, on
 * ~180 KB), against 4 s for the whole generation; a full type check would cost seconds.
 */
export async function checkSyntax(bundled: Document, files: readonly EmittedFile[]): Promise<SyntaxProblem[]> {
  try {
    // runtime/ holds verbatim copies of errata's own sources (compiled with the package): no contract string reaches them.
    const ts = files.filter((f) => f.path.endsWith('.ts') && !f.path.startsWith('runtime/'));
    return (await ask<{ problems: SyntaxProblem[] }>(threadFor(bundled), { kind: 'parse', files: ts })).problems;
  } finally {
    await releaseTypesThread(bundled);
  }
}
