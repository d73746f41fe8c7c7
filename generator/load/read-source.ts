import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ParserError, ResolverError } from '@apidevtools/json-schema-ref-parser';
import { isFileSystemPath, toFileSystemPath } from '@apidevtools/json-schema-ref-parser/dist/lib/util/url.js';
import { LineCounter, parseDocument, visit } from 'yaml';

/**
 * What a contract may read: the files of its own folder tree, nothing else. A contract arrives in
 * a pull request; a `$ref` to `../../.env`, `/proc/self/environ` or `/dev/zero` must not copy a
 * secret into `generated/openapi.json` or the published docs page, nor hang the run.
 */
export interface ReadPolicy {
  /** Folders whose files `$ref`s may reach (real paths, symlinks resolved). Default: the root file's folder. */
  roots: string[];
  /** Bytes one file may have. */
  maxFileBytes: number;
  /** YAML alias expansions one file may make (the `yaml` package's `maxAliasCount`). */
  maxAliasCount: number;
  /** Nodes one parsed file may hold once its aliases are expanded. */
  maxNodes: number;
}

export interface ReadOptions {
  /** More folders `$ref`s may reach (`--allow-ref-root`), besides the root file's own folder. */
  allowedRoots?: string[];
  maxFileBytes?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_ALIAS_COUNT = 1000;
const MAX_NODES = 5_000_000;

export function readPolicy(rootFile: string, options: ReadOptions = {}): ReadPolicy {
  const root = path.resolve(rootFile);
  // The folder of the root file as named and, when it is a symbolic link, of the file it links to.
  const roots = [path.dirname(root), path.dirname(realOr(root)), ...(options.allowedRoots ?? []).map((r) => path.resolve(r))].map(realOr);
  return { roots, maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, maxAliasCount: MAX_ALIAS_COUNT, maxNodes: MAX_NODES };
}

function realOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** A file a contract may not read, or one too big: the message says which rule and how to fix it. */
export class RefusedRead extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'RefusedRead';
  }
}

const REF_FIX_OUTSIDE = 'keep every file of the contract inside the folder of its root file (or pass --allow-ref-root <folder> to allow another folder)';

/**
 * Reads one contract file under `policy`: the real path (symlinks resolved) must lie inside a root,
 * be a regular file (no device, FIFO, socket, /proc entry: those can block, never end, or hold
 * secrets) and be at most `maxFileBytes` long. The file is opened non-blocking and checked again
 * on the open descriptor, so a swap between check and read gains nothing.
 */
export function readContractFile(file: string, policy: ReadPolicy): string {
  const absolute = path.resolve(file);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (e) {
    throw new RefusedRead(absolute, `cannot read ${absolute}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 'correct the file path of the $ref (relative to the file that contains it)');
  }
  if (!policy.roots.some((root) => isInside(real, root))) {
    const via = real === absolute ? '' : ` (through a symbolic link, it is ${real})`;
    throw new RefusedRead(absolute, `${absolute}${via} is outside the contract's folder ${policy.roots[0]}; references may not leave it`, REF_FIX_OUTSIDE);
  }
  if (!statSync(real).isFile()) throw new RefusedRead(absolute, `${absolute} is not a regular file`, 'point the $ref at a YAML or JSON file of the contract');
  const fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RefusedRead(absolute, `${absolute} is not a regular file`, 'point the $ref at a YAML or JSON file of the contract');
    if (stat.size > policy.maxFileBytes) throw tooBig(absolute, policy);
    // Read to the end, never past the limit: a file that grows while read is cut off, not trusted.
    const buffer = Buffer.alloc(Math.min(stat.size, policy.maxFileBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > policy.maxFileBytes) throw tooBig(absolute, policy);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function tooBig(file: string, policy: ReadPolicy): RefusedRead {
  return new RefusedRead(file, `${file} is larger than ${policy.maxFileBytes} bytes, the limit for one contract file`, 'split the contract into smaller files');
}

function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Parses YAML (and JSON, which is YAML) with the aliases bounded: a 1.3 KB file of nested
 * aliases otherwise expands to gigabytes. Errors say the line, in the `(line:column)` form the
 * loader reads back.
 */
export function parseYaml(text: string, file: string, policy: ReadPolicy): unknown {
  const json = parseJson(text);
  if (json !== undefined) return json.value;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, schema: 'core' });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const reason = error.code === 'DUPLICATE_KEY' ? 'duplicated mapping key' : error.message.split('\n')[0];
    throw new ParserError(`${reason} (${line}:${col})`, file);
  }
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      firstAlias = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (firstAlias === undefined) return doc.toJS({ maxAliasCount: -1 });
  const where = lineCounter.linePos(firstAlias);
  const refuse = (what: string) => new ParserError(`${what}; YAML aliases (the first at this line) may not expand a file beyond that, which is how an alias bomb exhausts memory (${where.line}:${where.col})`, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: policy.maxAliasCount });
  } catch (e) {
    if (e instanceof ReferenceError) throw refuse(`its aliases expand more than ${policy.maxAliasCount} times`);
    throw e;
  }
  // Aliases share their node: count it at every place it appears, as a JSON writer would.
  let nodes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++nodes > policy.maxNodes) throw refuse(`it expands to more than ${policy.maxNodes} nodes`);
    if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) stack.push(child);
  }
  return value;
}

/**
 * A JSON document parsed as JSON: the YAML parser takes seconds on a contract of megabytes, and a
 * JSON text means the same to both (JSON is YAML 1.2; JSON has no aliases to bound). Anything the
 * YAML parser would refuse or read differently (invalid JSON, a key twice in one object) returns
 * undefined, and goes the YAML way, which reports it.
 */
function parseJson(text: string): { value: unknown } | undefined {
  const start = /^[\s\uFEFF]*/.exec(text)![0].length;
  if (text[start] !== '{' && text[start] !== '[') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return hasDuplicateKey(text, value) ? undefined : { value };
}

/**
 * Whether some object of a valid JSON text names a key twice (JSON.parse keeps the last silently;
 * YAML with `uniqueKeys` refuses it). JSON.parse keeps one member per name and drops none
 * otherwise, so the text names a key twice exactly when it writes more members than the objects
 * JSON.parse made of it (`value`) hold: two counts, without a set of names per object (a
 * contract of megabytes has hundreds of thousands of objects).
 */
export function hasDuplicateKey(text: string, value: unknown = JSON.parse(text)): boolean {
  return membersWritten(text) !== membersHeld(value);
}

/** The members a valid JSON text writes: strings followed by `:`. */
function membersWritten(text: string): number {
  let members = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x22 /* " */) continue;
    let end = i + 1;
    for (; end < text.length; end++) {
      const c = text.charCodeAt(end);
      if (c === 0x5c /* \ */) end++;
      else if (c === 0x22) break;
    }
    let next = end + 1;
    let c = text.charCodeAt(next);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++next);
    if (c === 0x3a /* : */) members++;
    i = end;
  }
  return members;
}

/** The members of every object in a JSON value (a tree: JSON.parse shares no node). */
function membersHeld(value: unknown): number {
  let members = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    for (const key in node) {
      members++;
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return members;
}

/**
 * json-schema-ref-parser options that route every read through `readContractFile` and every YAML
 * parse through `parseYaml`. `texts` collects what was read, for the validation thread (which reads
 * nothing itself) and for mapping problems back to lines. Remote (`http(s)`) references are refused:
 * a contract's build must not depend on, or call, the network.
 */
export interface ReadState {
  /** Every file read, by absolute path: the one copy of the contract's text errata works from. */
  texts: Map<string, string>;
  /** Reads refused, by the URL the ref parser asked for. */
  refused: Map<string, RefusedRead>;
  /** Parses kept from an earlier load (the watch loop's), by file: reused while a file's text is unchanged. */
  parsed?: ParseMemo;
}

/** The last parse of each file, with the text it was parsed from. */
export type ParseMemo = Map<string, { text: string; value: unknown }>;

export function parserOptions(policy: ReadPolicy, { texts, refused, parsed }: ReadState) {
  const refuse = (url: string, reason: RefusedRead) => {
    refused.set(url, reason);
    return new ResolverError(reason, url);
  };
  return {
    resolve: {
      external: true,
      http: false as const,
      file: {
        order: 1,
        canRead: () => true,
        read(file: { url: string }) {
          if (!isFileSystemPath(file.url)) {
            throw refuse(file.url, new RefusedRead(file.url, `${file.url} is a remote reference; errata reads no references over the network`, 'copy the referenced document into the contract folder and $ref it by relative path'));
          }
          const local = path.resolve(toFileSystemPath(file.url));
          const cached = texts.get(local);
          if (cached !== undefined) return cached;
          try {
            const text = readContractFile(local, policy);
            texts.set(local, text);
            return text;
          } catch (e) {
            throw e instanceof RefusedRead ? refuse(file.url, e) : new ResolverError(e as Error, file.url);
          }
        },
      },
    },
    parse: {
      // json-schema-ref-parser's JSON parser (JSON.parse, which keeps the last of two equal keys
      // silently) would take `.json` files before `yaml` does: every file goes through parseYaml.
      json: false as const,
      text: false as const,
      binary: false as const,
      yaml: {
        order: 200,
        allowEmpty: true,
        canParse: ['.yaml', '.yml', '.json'],
        parse(file: { url: string; data: unknown }) {
          const data = Buffer.isBuffer(file.data) ? file.data.toString('utf8') : file.data;
          if (typeof data !== 'string') return data;
          if (!parsed) return parseYaml(data, file.url, policy);
          const key = isFileSystemPath(file.url) ? path.resolve(toFileSystemPath(file.url)) : file.url;
          const memo = parsed.get(key);
          // Bundling rewrites the parsed tree in place: each load gets its own copy.
          if (memo?.text === data) return structuredClone(memo.value);
          const value = parseYaml(data, file.url, policy);
          parsed.set(key, { text: data, value: structuredClone(value) });
          return value;
        },
      },
    },
  };
}
