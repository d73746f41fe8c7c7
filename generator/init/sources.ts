import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { UsageError, type SourceLocation } from '../errors';
import { loadContract } from '../load/load-contract';
import { displayPath } from '../load/locate';
import { convertOpenApi30, isOpenApi30, type Conversion } from '../load/openapi30';
import { parsePointer, toPointer } from '../model/pointer';
import { isRecord } from '../model/resolve';
import type { Json } from './types';

/** Where a node of the analysed document was written: file and pointer tokens in it. */
export interface Place {
  file: string;
  tokens: string[];
}

type Source = { kind: 'yaml'; doc: Document; text: string } | { kind: 'json'; data: Json; indent: string | number; text: string; newline: boolean };

/**
 * The user's files, opened for editing without losing what they wrote: YAML through `yaml`'s
 * Document (comments, quoting, flow/block style and key order survive), JSON as data re-printed
 * with its own indentation (JSON has no comments; key order is kept).
 */
export class Sources {
  private readonly files = new Map<string, Source>();
  private readonly touched = new Set<string>();

  open(file: string): Source {
    let source = this.files.get(file);
    if (!source) {
      const text = readFileSync(file, 'utf8');
      if (/^\s*[[{]/.test(text) && /\.json$/i.test(file)) {
        const indent = /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? 0;
        source = { kind: 'json', data: JSON.parse(text) as Json, indent: typeof indent === 'string' && /^ +$/.test(indent) ? indent.length : indent, text, newline: text.endsWith('\n') };
      } else {
        source = { kind: 'yaml', doc: parseDocument(text, { keepSourceTokens: false, uniqueKeys: false }), text };
      }
      this.files.set(file, source);
    }
    return source;
  }

  /** Sets `key` of the mapping at `tokens` (appended when new, replaced in place otherwise). */
  set(place: Place, key: string, value: unknown, options: { flow?: boolean; after?: string } = {}): void {
    const source = this.open(place.file);
    this.touched.add(place.file);
    if (source.kind === 'json') {
      let map = walkData(source.data, place.tokens);
      if (map === undefined && place.tokens.length > 0) {
        this.set({ file: place.file, tokens: place.tokens.slice(0, -1) }, place.tokens.at(-1)!, {});
        map = walkData(source.data, place.tokens);
      }
      if (!isRecord(map)) throw new Error(`init: no mapping at ${place.file}#${toPointer(place.tokens)}`);
      insertKey(map, key, value, options.after);
      return;
    }
    let map = walkNode(source.doc.contents, place.tokens);
    if (map === null && place.tokens.length > 0) {
      // A missing mapping (a schema's `properties`): create it in its parent.
      this.set({ file: place.file, tokens: place.tokens.slice(0, -1) }, place.tokens.at(-1)!, {});
      map = walkNode(source.doc.contents, place.tokens);
    }
    if (!isMap(map)) throw new Error(`init: no mapping at ${place.file}#${toPointer(place.tokens)}`);
    const node = source.doc.createNode(value, { flow: options.flow ?? false }) as Node;
    if (isSeq(node) || isMap(node)) node.flow = options.flow ?? false;
    const existing = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (existing) {
      existing.value = node;
      return;
    }
    const pair = source.doc.createPair(key, node);
    const after = options.after === undefined ? -1 : map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === options.after);
    if (after >= 0) map.items.splice(after + 1, 0, pair);
    else map.items.push(pair);
  }

  has(place: Place): boolean {
    const source = this.open(place.file);
    return source.kind === 'json' ? walkData(source.data, place.tokens) !== undefined : walkNode(source.doc.contents, place.tokens) !== null;
  }

  /** The edited files' new contents, and a way to find the line of a pointer in them. */
  render(): { file: string; contents: string }[] {
    return [...this.touched].sort().map((file) => {
      const source = this.files.get(file)!;
      if (source.kind === 'yaml') return { file, contents: source.doc.toString({ lineWidth: 0 }) };
      return { file, contents: JSON.stringify(source.data, null, source.indent) + (source.newline ? '\n' : '') };
    });
  }

  /** Line (1-based) of each pointer in `contents` of `file` as rendered. */
  static lines(file: string, contents: string, pointers: string[]): Map<string, number> {
    const found = new Map<string, number>();
    if (pointers.length === 0) return found;
    if (/\.json$/i.test(file) && contents.length > 2_000_000) return found; // a large JSON file is not re-parsed for line numbers
    const lines = new LineCounter();
    const doc = parseDocument(contents, { lineCounter: lines, uniqueKeys: false });
    for (const pointer of pointers) {
      let node: Node | null = doc.contents;
      let last: Node | null = node;
      for (const t of parsePointer(pointer)) {
        node = child(node, t);
        if (node === null) break;
        last = node;
      }
      if (last?.range) found.set(pointer, lines.linePos(last.range[0]).line);
    }
    return found;
  }
}

function insertKey(map: Json, key: string, value: unknown, after: string | undefined): void {
  if (key in map || after === undefined || !(after in map)) {
    map[key] = value;
    return;
  }
  const entries = Object.entries(map);
  for (const k of Object.keys(map)) delete map[k];
  for (const [k, v] of entries) {
    map[k] = v;
    if (k === after) map[key] = value;
  }
}

function walkData(root: unknown, tokens: string[]): unknown {
  let at = root;
  for (const t of tokens) {
    if (Array.isArray(at)) at = at[Number(t)];
    else if (isRecord(at)) at = at[t];
    else return undefined;
  }
  return at;
}

function walkNode(root: Node | null, tokens: string[]): Node | null {
  let at = root;
  for (const t of tokens) {
    at = child(at, t);
    if (at === null) return null;
  }
  return at;
}

function child(node: Node | null, token: string): Node | null {
  if (isMap(node)) {
    const pair = (node as YAMLMap).items.find((p) => isScalar(p.key) && String(p.key.value) === token);
    return (pair?.value as Node | undefined) ?? null;
  }
  if (isSeq(node)) return (node.items[Number(token)] as Node | undefined) ?? null;
  return null;
}

export interface Input {
  file: string;
  /** The description as every stage after load sees it: bundled, 3.1. */
  document: Json;
  converted?: Conversion;
  /** Where a pointer of `document` was written. */
  place(pointer: string): Place;
  sources: Sources;
}

const OPENAPI_HELP = 'pass the root file of an OpenAPI 3.0 or 3.1 description (YAML or JSON), e.g. `errata init openapi/openapi.yaml`';

/**
 * Reads the description to adopt. What is not an OpenAPI 3 description is refused here with one
 * message (exit 2), before anything is inferred or written.
 */
export async function readInput(file: string): Promise<Input> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`cannot read ${file}: no such file`, OPENAPI_HELP);
  const sources = new Sources();
  let root: Json;
  try {
    const source = sources.open(path.resolve(file));
    const data = source.kind === 'json' ? source.data : (source.doc.toJS({ maxAliasCount: 10_000 }) as unknown);
    if (source.kind === 'yaml' && source.doc.errors.length > 0) {
      const e = source.doc.errors[0]!;
      throw new UsageError(`cannot parse ${displayPath(file)}: ${e.message.split('\n')[0]}`, 'fix the YAML/JSON syntax at that line', { file: displayPath(file), pointer: '', line: e.linePos?.[0].line, column: e.linePos?.[0].col });
    }
    if (!isRecord(data)) throw new UsageError(`${displayPath(file)} is not an OpenAPI description: it is not a mapping`, OPENAPI_HELP, { file: displayPath(file), pointer: '' });
    root = data;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot parse ${displayPath(file)}: ${(e as Error).message.split('\n')[0]}`, 'fix the YAML/JSON syntax', { file: displayPath(file), pointer: '' });
  }
  const at = { file: displayPath(file), pointer: '' };
  if (typeof root.swagger === 'string') {
    throw new UsageError(
      `${displayPath(file)} is Swagger ${root.swagger}; errata init reads OpenAPI 3.0 and 3.1`,
      `convert it first: \`npx swagger2openapi ${displayPath(file)} -o openapi.yaml\`, then run \`errata init openapi.yaml\``,
      { ...at, pointer: '/swagger' },
    );
  }
  if (typeof root.openapi !== 'string') {
    throw new UsageError(`${displayPath(file)} is not an OpenAPI description: it has no \`openapi\` version field`, OPENAPI_HELP, at);
  }
  if (!/^3\.[01]\./.test(root.openapi)) {
    throw new UsageError(`${displayPath(file)} says openapi: ${JSON.stringify(root.openapi)}; errata init reads OpenAPI 3.0 and 3.1`, OPENAPI_HELP, { ...at, pointer: '/openapi' });
  }
  if (root['x-errata'] !== undefined) {
    throw new UsageError(`${displayPath(file)} already has \`x-errata\`: init adopts descriptions that have none`, 'run `errata generate` and `errata lint` on it instead', { ...at, pointer: '/x-errata' });
  }
  const absolute = path.resolve(file);
  if (!hasExternalRef(root)) {
    // One file: the pointers of the document are the pointers in the file.
    const document = structuredClone(root);
    const converted = isOpenApi30(document) ? convertOpenApi30(document) : undefined;
    return { file: absolute, document, ...(converted ? { converted } : {}), place: (pointer) => ({ file: absolute, tokens: parsePointer(pointer) }), sources };
  }
  // Several files: errata's own loader bundles (and converts) them; its Locator maps pointers back.
  const contract = await loadContract(file, { validate: false });
  const probe = structuredClone(root);
  const converted = isOpenApi30(probe) ? convertOpenApi30(probe) : undefined;
  return {
    file: absolute,
    document: contract.document,
    ...(converted ? { converted } : {}),
    place: (pointer) => {
      const loc: SourceLocation | undefined = contract.locator.locate(pointer);
      return loc ? { file: path.resolve(loc.file), tokens: parsePointer(loc.pointer) } : { file: absolute, tokens: parsePointer(pointer) };
    },
    sources,
  };
}

function hasExternalRef(node: unknown): boolean {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) stack.push(...n);
    else if (isRecord(n)) {
      if (typeof n.$ref === 'string' && !n.$ref.startsWith('#')) return true;
      stack.push(...Object.values(n));
    }
  }
  return false;
}
