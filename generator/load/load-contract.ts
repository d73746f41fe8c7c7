import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ContractError, UsageError, type Problem } from '../errors';
import { parsePointer, toPointer } from '../model/pointer';
import { refOf } from '../model/resolve';
import { cacheDir, cacheKey, readCache, textHash, writeCache, type CacheKind } from './cache';
import { Locator, displayPath } from './locate';
import { convertOpenApi30, isOpenApi30 } from './openapi30';
import { parserOptions, readPolicy, type ParseMemo, type ReadOptions, type ReadState } from './read-source';
import { refInventory } from './ref-walk.mjs';

/** swagger-parser's document type (from openapi-types, which errata does not depend on directly). */
type ParserDocument = Parameters<SwaggerParser.ApiCallback>[1] & object;

/** A parsed OpenAPI document: plain JSON data, `$ref`s internal to it. */
export type Document = Record<string, unknown>;

export interface LoadedContract {
  /** The root file as given on the command line. */
  file: string;
  /** The authored files bundled into one document; shared parts stay `$ref`s, so they keep names. */
  document: Document;
  locator: Locator;
  /** Every file the contract is made of, by absolute path, as read: what a watch loop watches. */
  texts: ReadonlyMap<string, string>;
}

interface ParserErrorLike {
  name?: string;
  message: string;
  source?: string;
  path?: (string | number)[] | null;
  errors?: ParserErrorLike[];
  details?: { instancePath?: string; message?: string; params?: unknown }[];
}

/**
 * Reads and validates a (possibly multi-file) OpenAPI 3.1 contract.
 * https://spec.openapis.org/oas/v3.1.0#relative-references-in-uris
 *
 * swagger-parser's bundle keeps every shared node at its first and shortest location, so a file
 * registered under the root `components` keeps its component name, which the generated types need.
 * Circular schemas stay circular `$ref`s; nothing here dereferences them.
 */
export interface LoadOptions extends ReadOptions {
  /** Validate against the OAS 3.1 schema (default true). */
  validate?: boolean;
  /**
   * A validation thread to reuse (the watch loop keeps one, loaded between runs); by default the
   * calling thread validates.
   */
  validator?: ValidationThread;
  /**
   * Validation starts once this settles (`loadContractEarly`): `generate` passes the moment
   * openapi-typescript's thread has its input, so validating on this thread overlaps that run
   * instead of delaying it. By default validation starts at once.
   */
  validateAfter?: PromiseLike<unknown>;
  /**
   * Filled with every file read, by absolute path, even when the load then fails (what a watch
   * loop watches); by default a map of the load's own.
   */
  texts?: Map<string, string>;
  /** Parses to reuse while a file is unchanged, and to update (the watch loop's). */
  parsed?: ParseMemo;
}

export async function loadContract(file: string, options: LoadOptions = {}): Promise<LoadedContract> {
  const { contract, validated } = await loadContractEarly(file, options);
  await validated;
  return contract;
}

/**
 * `loadContract` that returns as soon as the contract is bundled, its validation still to come:
 * `validated` rejects with the validation's problems. Validation needs nothing from the bundle, so
 * a caller may work on it meanwhile (from `validateAfter` on, validation shares this thread) but
 * must not show or write anything before `validated` resolves.
 */
export async function loadContractEarly(file: string, options: LoadOptions = {}): Promise<{ contract: LoadedContract; validated: Promise<void> }> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(`cannot read the contract ${file}: no such file`, 'pass --spec with the path of your root OpenAPI file (default openapi/openapi.yaml)');
  }
  // Every file is read once, here, under the read policy; the locator and the validation thread
  // work from these texts and read nothing themselves.
  const state: ReadState = { texts: options.texts ?? new Map(), refused: new Map(), ...(options.parsed ? { parsed: options.parsed } : {}) };
  const locator = new Locator(file, state.texts);
  const document = await bundle(file, locator, parserOptions(readPolicy(file, options), state), state);
  const contract = { file, document, locator, texts: state.texts };
  if (options.validate === false) return { contract, validated: Promise.resolve() };
  const validated = Promise.resolve(options.validateAfter)
    .then(() => validateCached(path.resolve(file), state.texts, options.validator))
    .then((verdict) => reportValidation(verdict, locator));
  // Until the caller awaits it, a failure must not surface as unhandled.
  validated.catch(() => {});
  return { contract, validated };
}

type ParserOptions = ReturnType<typeof parserOptions>;

async function bundle(file: string, locator: Locator, parser: ParserOptions, state: ReadState): Promise<Document> {
  let document: Document;
  let refs: ReadonlySet<string> | undefined;
  try {
    // A root file that does not parse is reported as such: bundling it anyway (continueOnError)
    // ends in a TypeError that names nothing.
    const parsed = (await new SwaggerParser().parse(file, parser as SwaggerParser.Options)) as unknown as Document;
    // swagger-parser's bundle hands back a document whose every ref is internal, plain and points
    // straight at a node (`refInventory`) untouched; such a contract skips it: its reference
    // inventory costs time quadratic in the number of `$ref`s (a linear search per ref), 40 s of a
    // 10,000-operation contract. The parse is handed on, so a root file that needs bundling is not
    // read and parsed again.
    refs = refInventory(parsed).refs;
    document = refs
      ? parsed
      : ((await new SwaggerParser().bundle(file, parsed as ParserDocument, { ...parser, continueOnError: true } as SwaggerParser.Options)) as unknown as Document);
  } catch (e) {
    throw fromParserError(e as ParserErrorLike, file, locator, state);
  }
  if (isOpenApi30(document)) convertOpenApi30(document); // every later stage reads 3.1 (the same refs)
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1')) {
    throw new ContractError([
      {
        pointer: '/openapi',
        location: locator.locate('/openapi'),
        message: `errata reads OpenAPI 3.0 and 3.1 contracts; this one says openapi: ${JSON.stringify(document.openapi ?? null)}`,
        fix: 'convert it to OpenAPI 3 (Swagger 2.0: `npx swagger2openapi in.yaml -o openapi.yaml`)',
      },
    ]);
  }
  // Every ref of an unbundled document is known already: the walk for their pointers only when one is unsafe.
  if (refs && ![...refs].some(unsafeRef)) return document;
  const unsafe = unsafeRefTargets(document, locator);
  if (unsafe.length > 0) throw new ContractError(unsafe);
  return document;
}

/** Root members an internal `$ref` may point into; openapi-typescript prints the first segment as code. */
const REF_ROOTS = new Set(['components', 'paths', 'webhooks', 'x-errata']);

/**
 * Internal `$ref`s whose target would not survive openapi-typescript: it prints a ref's first
 * segment raw, as an identifier (`#/x-a");process.exit(1);("/b` becomes live code in openapi.ts),
 * and quotes only the rest. Checked here, validation or not: the OAS schema allows any `x-` root key.
 */
function unsafeRefTargets(document: Document, locator: Locator): Problem[] {
  const problems: Problem[] = [];
  // Each node knows its parent and key; a node's pointer is spelled out only for a problem (a copy
  // of the path per node was most of this walk's cost on a large contract).
  const stack: Visit[] = [{ node: document, parent: undefined, key: '' }];
  while (stack.length > 0 && problems.length < 10) {
    const visit = stack.pop()!;
    const ref = refOf(visit.node);
    if (ref !== undefined && unsafeRef(ref)) {
      const first = ref.startsWith('#/') ? parsePointer(ref)[0] : undefined;
      const tokens = tokensOf(visit);
      problems.push({
        pointer: toPointer([...tokens, '$ref']),
        location: locator.locate(toPointer(tokens)),
        message: `$ref ${JSON.stringify(ref)} points outside components, paths and webhooks; the TypeScript types cannot name it (the code generator would print ${JSON.stringify(first ?? ref)} as code)`,
        fix: 'move the target under components (e.g. #/components/schemas/Name) and $ref it there',
      });
    }
    const node = visit.node as Record<string, unknown>;
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (typeof child === 'object' && child !== null) stack.push({ node: child, parent: visit, key });
    }
  }
  return problems;
}

/** An internal ref whose first segment is not one of REF_ROOTS. */
function unsafeRef(ref: string): boolean {
  if (!ref.startsWith('#')) return false;
  const first = ref.startsWith('#/') ? parsePointer(ref)[0] : undefined;
  return first === undefined || !REF_ROOTS.has(first);
}

interface Visit {
  node: object;
  parent: Visit | undefined;
  key: string;
}

function tokensOf(visit: Visit): string[] {
  const tokens: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) tokens.push(at.key);
  return tokens.reverse();
}

type Verdict = { ok: true } | { ok: false; message: string; details?: ParserErrorLike['details'] };

const VALIDATION: CacheKind = {
  name: 'validation',
  code: ['validate-worker.mjs', 'dereference.mjs', 'ref-walk.mjs', 'oas30-validator.cjs', 'oas31-validator.cjs'].map((f) => fileURLToPath(new URL(`./${f}`, import.meta.url))),
  packages: ['@apidevtools/swagger-parser', '@apidevtools/json-schema-ref-parser'],
};

/**
 * The validation of `texts`, from the cache when these very files (names relative to the root
 * file's folder, and contents by their hash) passed before. Only passes are stored.
 */
async function validateCached(file: string, texts: ReadonlyMap<string, string>, thread?: ValidationThread): Promise<Verdict> {
  const base = path.dirname(file);
  let key: string | undefined;
  if (cacheDir() !== undefined) {
    const input = [path.basename(file)];
    for (const name of [...texts.keys()].sort()) input.push(path.relative(base, name), textHash(texts, name));
    key = cacheKey(VALIDATION, input);
  }
  if (readCache(VALIDATION, key) === 'ok') return { ok: true };
  let verdict: Verdict;
  if (thread) {
    verdict = await thread.validate(file, texts);
  } else {
    // On the calling thread, which already loaded the parser: a thread of its own costs a second
    // of CPU more on a large contract (starting it, loading the parser and the OAS schema again,
    // copying the texts, a heap of its own to collect) and overlaps nothing the caller would not
    // overlap anyway (`validateAfter`: openapi-typescript's run).
    // @ts-expect-error plain JavaScript, shared with the thread (it must run without TypeScript's loader).
    const { verdict: here } = (await import('./validate-worker.mjs')) as { verdict(file: string, texts: ReadonlyMap<string, string>): Promise<Verdict> };
    verdict = await here(file, texts);
  }
  if (verdict.ok) writeCache(VALIDATION, key, 'ok');
  return verdict;
}

/**
 * swagger-parser's validation (dereference, then the OAS JSON Schema) of the authored files, on its
 * own thread. The dereferenced tree of the authored files and of their bundle is the same tree, so
 * it reports what validating the bundle would; validating the files needs nothing from the bundle.
 * One thread answers one request at a time; a watch loop keeps it for every run.
 */
export class ValidationThread {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  validate(file: string, texts: ReadonlyMap<string, string>): Promise<Verdict> {
    const run = this.queue.then(() => this.ask(file, texts));
    this.queue = run.catch(() => {});
    // Awaited only once bundling succeeded; until then a failure must not surface as unhandled.
    run.catch(() => {});
    return run;
  }

  private ask(file: string, texts: ReadonlyMap<string, string>): Promise<Verdict> {
    const worker = (this.worker ??= new Worker(new URL('./validate-worker.mjs', import.meta.url)));
    return new Promise<Verdict>((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      const onMessage = (verdict: Verdict) => (done(), resolve(verdict));
      const onError = (e: Error) => (done(), (this.worker = undefined), reject(e));
      const onExit = (code: number) => (done(), (this.worker = undefined), reject(new Error(`the validation worker exited with code ${code} before answering`)));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ file, texts: Object.fromEntries(texts) });
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

async function reportValidation(verdict: Verdict, locator: Locator): Promise<void> {
  if (!verdict.ok) {
    const err = verdict;
    const details = err.details ?? [];
    if (details.length === 0) {
      throw new ContractError([{ pointer: '', message: `not a valid OpenAPI 3.1 document: ${err.message}`, fix: 'correct the document against https://spec.openapis.org/oas/v3.1.0' }]);
    }
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const d of details) {
      const pointer = d.instancePath ?? '';
      if (seen.has(pointer)) continue;
      seen.add(pointer);
      problems.push({
        pointer,
        location: locator.locate(pointer),
        message: `not valid OpenAPI 3.1: ${d.message ?? 'schema violation'}${d.params ? ` ${JSON.stringify(d.params)}` : ''}`,
        fix: 'correct this node against https://spec.openapis.org/oas/v3.1.0',
      });
      if (problems.length >= 10) break;
    }
    throw new ContractError(problems);
  }
}

function fromParserError(err: ParserErrorLike, rootFile: string, locator: Locator, state: ReadState): Error {
  if (err instanceof ContractError || err instanceof UsageError) return err;
  const errors = err.errors?.length ? err.errors : [err];
  const syntax = errors.find((e) => e.name === 'ParserError' || e.name === 'SyntaxError');
  if (syntax) {
    // js-yaml reports "(line:column)" in its message, and names the file it could not parse.
    const fileMatch = /Error parsing (.+?): /.exec(syntax.message);
    const at = /\((\d+):(\d+)\)/.exec(syntax.message);
    const badFile = fileMatch?.[1] ?? syntax.source ?? rootFile;
    const line = at ? Number(at[1]) : undefined;
    let reason = syntax.message.replace(/^Error parsing [^:]+: /, '').split('\n')[0] ?? '';
    let fix = 'fix the YAML/JSON syntax at that line';
    if (reason.includes('duplicated mapping key') && line !== undefined) {
      // A catalog code written twice surfaces here: name it.
      const key = /^\s*["']?([^"':]+)["']?\s*:/.exec((state.texts.get(path.resolve(badFile)) ?? '').split('\n')[line - 1] ?? '')?.[1];
      if (key) reason = `${JSON.stringify(key)} is defined twice in the same mapping (${reason})`;
      fix = 'keep one definition: each name (and each error code) may appear once';
    }
    return new UsageError(`cannot parse ${displayPath(badFile)}: ${reason}`, fix, {
      file: displayPath(badFile),
      pointer: '',
      ...(line !== undefined ? { line, column: Number(at![2]) } : {}),
    });
  }
  const problems: Problem[] = errors.map((e) => {
    const pointer = e.path ? toPointer(e.path) : '';
    const missingFile = e.name === 'ResolverError';
    const refusal = missingFile ? [...state.refused.values()].find((r) => e.message.includes(r.message)) : undefined;
    if (refusal) return { pointer, location: e.path ? locator.locate(pointer) : undefined, message: `$ref refused: ${refusal.message}`, fix: refusal.fix };
    return {
      pointer,
      location: e.path ? locator.locate(pointer) : undefined,
      message: missingFile ? `$ref cannot be resolved: ${e.message.split('\n')[0]}` : `dangling $ref: ${e.message}`,
      fix: missingFile ? 'correct the file path of the $ref (relative to the file that contains it)' : 'point the $ref at a node that exists, or add the missing node',
    };
  });
  return new ContractError(problems);
}
