import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cacheKey, readCache, writeCache, type CacheKind } from '../load/cache';
import { openapiJsonText } from './openapi-json';
import { tsSource } from '../model/escape';
import { ContractError } from '../errors';
import type { Document } from '../load/load-contract';
import { parsePointer } from '../model/pointer';
import { isRecord } from '../model/resolve';
import { requireFromOpenapiTypescript, type ParseProblem } from './openapi-types-run.mjs';
import type { Emitter } from './types';

/**
 * openapi-typescript names a `$ref` by its path, so one into `x-errata` (a code's meta that
 * reuses another code's: `$ref: '#/codes/BAD_FIELD/meta'` in the catalog file) would become
 * `x-errata["catalog"]…`, which is not TypeScript. Such references are inlined in the text it
 * reads (openapi.json keeps them: they are valid JSON references); a recursive one cannot be, and
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
 * openapi-typescript runs on its own thread: loading it (and TypeScript) takes a second and a half,
 * which the CLI overlaps with reading the contract (preloadOpenapiTypes), and its run overlaps with
 * the other emitters. The thread reads openapi.json's text, so its input is exactly that file.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.run).then(async (run) => ({ run, tools: await run.loadOpenapiTypescript() }));
loaded.catch(() => {});
let splicer;
const splicing = async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  return (await import(workerData.splice)).createSplicer();
};
parentPort.on('message', async ({ text, options, incremental }) => {
  try {
    // Watch mode: only what changed since the last document is transformed again (if the splicer
    // cannot load, every run is whole, as a one-shot run).
    if (incremental && (splicer ??= splicing()) && (await splicer.catch(() => undefined))) {
      const { ts, problems, how, why, remade, parts } = await (await splicer).run(text, options);
      parentPort.postMessage({ ok: true, ts, problems, how, why, remade, parts });
      return;
    }
    const { run, tools } = await loaded;
    const { statements, printed } = await run.transformText(text, options, tools);
    parentPort.postMessage({ ok: true, ts: printed, problems: run.printedProblems(tools.ts, statements, printed) });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String(e && e.message !== undefined ? e.message : e), stack: e && e.stack });
  }
});
`;

/** The modules the thread loads, beside this one (TypeScript when errata runs from its sources, through tsx). */
const SELF = fileURLToPath(import.meta.url);
const RUN = path.join(path.dirname(SELF), 'openapi-types-run.mjs');
const SPLICE = path.join(path.dirname(SELF), `openapi-types-splice${path.extname(SELF)}`);

function moduleUrls(): { run: string; splice: string; tsx?: string } {
  const tsx = SELF.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined;
  return { run: pathToFileURL(RUN).href, splice: pathToFileURL(SPLICE).href, ...(tsx ? { tsx } : {}) };
}

interface TypesAnswer {
  ts: string;
  problems: ParseProblem[];
  /** In watch mode: whether only the changed parts were transformed (openapi-types-splice). */
  how?: 'full' | 'spliced' | 'unchanged';
  why?: string;
  remade?: number;
  parts?: number;
}

type TypesRun = Omit<TypesAnswer, 'ts' | 'problems'> | { how: 'cached' };
let lastRun: TypesRun = { how: 'cached' };
/** How the last run made openapi.ts, for `generate --watch` to report: from the cache, or the thread's answer. */
export const lastTypesRun = (): TypesRun => lastRun;

/**
 * What makes openapi.ts besides its input: this module, the two it runs on the thread, and the
 * packages openapi-typescript loads, as it resolves them (its Redocly and TypeScript may not be
 * the copies errata itself would get).
 */
const OPENAPI_TYPES: CacheKind = {
  name: 'openapi-types',
  code: [SELF, RUN, SPLICE, ...['@redocly/openapi-core/package.json', 'typescript/package.json'].map((m) => requireFromOpenapiTypescript().resolve(m))],
  packages: ['openapi-typescript'],
};

/** openapi-typescript's thread: loaded once, it answers one document at a time. */
class OpenapiTypesThread {
  private readonly worker = new Worker(WORKER, { eval: true, workerData: moduleUrls() });
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    // Until its answer is awaited, the thread must not keep a failing run alive.
    this.worker.unref();
  }

  run(text: string, options: Readonly<Record<string, boolean>>): Promise<TypesAnswer> {
    const run = this.queue.then(() => this.ask(text, options));
    this.queue = run.catch(() => {});
    return run;
  }

  private ask(text: string, options: Readonly<Record<string, boolean>>): Promise<TypesAnswer> {
    const worker = this.worker;
    worker.ref();
    return new Promise<TypesAnswer>((resolve, reject) => {
      const done = () => (worker.off('message', onMessage).off('error', reject).off('exit', onExit), worker.unref());
      const onMessage = (m: ({ ok: true } & TypesAnswer) | { ok: false; message: string; stack?: string }) => (
        done(), m.ok ? resolve(m) : reject(Object.assign(new Error(m.message), m.stack ? { stack: m.stack } : {}))
      );
      const onExit = (code: number) => (done(), reject(new Error(`openapi-typescript's thread stopped (exit code ${code}) before answering`)));
      worker.on('message', onMessage).on('error', reject).on('exit', onExit);
      worker.postMessage({ text, options, incremental: kept });
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

let preloaded: OpenapiTypesThread | undefined;
/** Kept between runs (watch mode), instead of stopped after each. */
let kept = false;

/** Starts openapi-typescript's thread now, so it has loaded by the time the emitter needs it. */
export function preloadOpenapiTypes(): void {
  preloaded ??= new OpenapiTypesThread();
}

/** Keeps openapi-typescript's thread loaded across runs (`generate --watch`); `false` stops it. */
export async function keepOpenapiTypes(keep: boolean): Promise<void> {
  kept = keep;
  if (keep) preloadOpenapiTypes();
  else if (preloaded) {
    const thread = preloaded;
    preloaded = undefined;
    await thread.stop();
  }
}

/**
 * Types for `paths` and `components` by openapi-typescript, from the expanded contract, so every
 * error response is already a union of its codes. The other emitters' types index into these.
 * openapi-typescript's output depends on its input text alone, so it is cached by that text.
 */
export const openapiTypes: Emitter = async ({ bundled, openapiTypescript }) => {
  const text = typesInput(bundled);
  const options = openapiTypescript ?? {};
  const key = cacheKey(OPENAPI_TYPES, [text, JSON.stringify(options)]);
  let ts = readCache(OPENAPI_TYPES, key);
  lastRun = { how: 'cached' };
  if (ts === undefined) {
    const thread = preloaded ?? new OpenapiTypesThread();
    preloaded = kept ? thread : undefined;
    let answer: TypesAnswer;
    try {
      answer = await thread.run(text, options);
    } finally {
      if (!kept) await thread.stop();
    }
    if (answer.problems.length > 0) {
      throw new ContractError(
        answer.problems.map((b) => ({
          pointer: '',
          location: { file: 'openapi.ts', pointer: '', line: b.line, column: b.column },
          message: `the generated openapi.ts would not parse: ${b.message}`,
          fix: 'nothing was written; this is a bug in errata (or openapi-typescript) for this contract: please report it with the contract',
        })),
      );
    }
    ts = answer.ts;
    lastRun = { how: answer.how ?? 'full', ...(answer.why ? { why: answer.why } : {}), ...(answer.parts ? { remade: answer.remade, parts: answer.parts } : {}) };
    writeCache(OPENAPI_TYPES, key, ts);
  } else if (!kept && preloaded) {
    // Not needed this time: stop loading it.
    const thread = preloaded;
    preloaded = undefined;
    void thread.stop();
  }
  const header = '// Generated by errata with openapi-typescript from openapi.json. Do not edit.\n\n';
  // openapi-typescript copies descriptions into comments as written: bidi controls become escapes.
  return [{ path: 'openapi.ts', contents: header + tsSource(ts) }];
};
