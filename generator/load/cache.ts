import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Results errata can reuse between runs, on disk, keyed by a hash of everything that decides them:
 * the input text, errata's version and the code that computes the result (its source file and the
 * packages it runs). A stale or foreign entry can never match a key, so the cache cannot turn a
 * different input into a pass. Only successes are stored: a contract with problems is checked
 * again every time, and reports them in the same words.
 *
 * The folder is `node_modules/.cache/errata` in the nearest folder up from the working directory
 * that has a `node_modules` (where build caches live), or `$ERRATA_CACHE_DIR`; `ERRATA_CACHE_DIR=off` (or `--no-cache`) turns the cache off.
 */
export function cacheDir(): string | undefined {
  const configured = process.env.ERRATA_CACHE_DIR;
  if (configured === 'off' || configured === '') return undefined;
  if (configured !== undefined) return path.resolve(configured);
  // The project's node_modules (the nearest one up from here), never one errata would create: a
  // folder without one gets no cache rather than a new node_modules.
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'errata');
    if (path.dirname(dir) === dir) return undefined;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** errata's own version and the version of each named package, as installed. */
function versions(packages: string[]): string[] {
  const out = [`errata@${readVersion(path.join(here, '..', '..'), 'errata') ?? readVersion(path.join(here, '..', '..', '..'), 'errata')}`];
  for (const name of packages) out.push(`${name}@${readVersion(packageDir(name), name)}`);
  return out;
}

function packageDir(name: string): string {
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return candidate;
  }
}

function readVersion(dir: string, name: string): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return pkg.name === name ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

export interface CacheKind {
  /** File-name prefix of the entries. */
  name: string;
  /** What computes the result, besides its input: source files (hashed) and packages (versioned). */
  code: string[];
  packages: string[];
}

const toolHashes = new Map<string, string>();

/** The part of every key that names the tool: errata's version, its packages', and the code's text. */
function toolHash(kind: CacheKind): string {
  let hash = toolHashes.get(kind.name);
  if (hash === undefined) {
    const h = createHash('sha256').update(kind.name).update('\0');
    for (const v of versions(kind.packages)) h.update(v).update('\0');
    for (const file of kind.code) h.update(readFileSync(file)).update('\0');
    hash = h.digest('hex');
    toolHashes.set(kind.name, hash);
  }
  return hash;
}

/**
 * The key of `input` (strings, hashed in order, each length-prefixed so no two lists collide), or
 * undefined when the cache is off: hashing a large contract's text costs a few hundred ms.
 */
export function cacheKey(kind: CacheKind, input: readonly string[]): string | undefined {
  if (cacheDir() === undefined) return undefined;
  const h = createHash('sha256').update(toolHash(kind));
  for (const part of input) h.update(`${Buffer.byteLength(part)}:`).update(part);
  return h.digest('hex');
}

export function readCache(kind: CacheKind, key: string | undefined): string | undefined {
  const dir = cacheDir();
  if (dir === undefined || key === undefined) return undefined;
  try {
    return readFileSync(path.join(dir, `${kind.name}-${key}`), 'utf8');
  } catch {
    return undefined;
  }
}

/** Stores an entry; a cache that cannot be written (read-only checkout, full disk) is skipped. */
export function writeCache(kind: CacheKind, key: string | undefined, value: string): void {
  const dir = cacheDir();
  if (dir === undefined || key === undefined) return;
  try {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a reader sees the whole entry or none.
    const temporary = path.join(dir, `.${kind.name}-${key}.${process.pid}.tmp`);
    writeFileSync(temporary, value);
    renameSync(temporary, path.join(dir, `${kind.name}-${key}`));
  } catch {
    // The cache only saves time.
  }
}

const textHashes = new WeakMap<ReadonlyMap<string, string>, Map<string, { text: string; hash: string }>>();

/**
 * The sha256 of the text `texts` holds for `file`, computed once per text: the validation's key
 * and `recordInputs` hash the same contract files (megabytes, for a large one).
 */
export function textHash(texts: ReadonlyMap<string, string>, file: string): string {
  const text = texts.get(file) ?? '';
  let known = textHashes.get(texts);
  if (known === undefined) textHashes.set(texts, (known = new Map()));
  const memo = known.get(file);
  if (memo?.text === text) return memo.hash;
  const hash = createHash('sha256').update(text).digest('hex');
  known.set(file, { text, hash });
  return hash;
}

/**
 * The files of the contracts generated lately, with their hashes: `bin/errata.mjs` starts loading
 * openapi-typescript before it knows the contract, which a run whose output is cached does not need.
 */
export function recordInputs(root: string, texts: ReadonlyMap<string, string>): void {
  if (cacheDir() === undefined) return;
  const files = Object.fromEntries([...texts.keys()].map((file) => [file, textHash(texts, file)]));
  writeCache({ name: 'inputs', code: [], packages: [] }, createHash('sha256').update(path.resolve(root)).digest('hex'), JSON.stringify({ files }));
}

/** Whether the files of a contract generated lately are all unchanged (so its results are likely cached). */
export function inputsUnchanged(): boolean {
  const dir = cacheDir();
  if (dir === undefined || !existsSync(dir)) return false;
  for (const name of readdirSync(dir).filter((n) => n.startsWith('inputs-'))) {
    try {
      const { files } = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { files: Record<string, string> };
      if (Object.entries(files).every(([file, hash]) => createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex') === hash)) return true;
    } catch {
      // A file gone or unreadable: not this one.
    }
  }
  return false;
}
