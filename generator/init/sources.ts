import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node, type YAMLMap } from 'yaml';
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

type Source =
  | { kind: 'yaml'; doc: Document; text: string; edits: TextEdit[]; indent: number }
  | { kind: 'json'; data: Json; indent: string | number; text: string; newline: boolean };

/** Replace `length` characters at `at` with `text` (an insertion when `length` is 0). */
interface TextEdit {
  at: number;
  /** Depth of the mapping edited: at one position, a deeper mapping's new lines come first. */
  depth: number;
  length: number;
  text: string;
  order: number;
}

/**
 * The user's files, edited without losing what they wrote. YAML is edited as text at positions
 * `yaml`'s parse gives (a CST-level edit): new keys are inserted after a mapping's last entry in
 * its own indentation (or before a flow mapping's `}`), so every other byte, comments and quoting
 * included, stays as written. JSON has no comments: it is re-printed with its own indentation,
 * key order kept.
 */
export class Sources {
  private readonly files = new Map<string, Source>();
  private readonly touched = new Set<string>();
  private order = 0;

  open(file: string): Source {
    let source = this.files.get(file);
    if (!source) {
      const text = readFileSync(file, 'utf8');
      if (/^\s*[[{]/.test(text) && /\.json$/i.test(file)) {
        const indent = /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? 0;
        source = { kind: 'json', data: JSON.parse(text) as Json, indent: typeof indent === 'string' && /^ +$/.test(indent) ? indent.length : indent, text, newline: text.endsWith('\n') };
      } else {
        const doc = parseDocument(text, { uniqueKeys: false });
        const step = /\n( +)\S/.exec(text)?.[1]?.length ?? 2;
        source = { kind: 'yaml', doc, text, edits: [], indent: Math.min(Math.max(step, 2), 8) };
      }
      this.files.set(file, source);
    }
    return source;
  }

  /** Sets `key` of the mapping at `tokens` (added after its last entry, or its value replaced). */
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
    const node = walkNode(source.doc.contents, place.tokens);
    if (node === null) {
      // A missing mapping (a schema's `properties`, the root's `components`): add it with the key.
      this.set({ file: place.file, tokens: place.tokens.slice(0, -1) }, place.tokens.at(-1)!, { [key]: value }, options);
      return;
    }
    if (!isMap(node)) throw new Error(`init: no mapping at ${place.file}#${toPointer(place.tokens)}`);
    const map = node as YAMLMap;
    const text = source.text;
    const existing = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const edit = (at: number, length: number, t: string) => source.edits.push({ at, length, text: t, depth: place.tokens.length, order: this.order++ });
    if (existing) {
      const v = existing.value as Node | null;
      if (!v?.range) throw new Error(`init: cannot replace ${key} at ${place.file}#${toPointer(place.tokens)}`);
      // From just after the key's colon, so a block value becomes `key: { … }` on the key's line.
      const colon = text.indexOf(':', (existing.key as Node).range![1]);
      const from = colon >= 0 && colon < v.range[0] ? colon + 1 : v.range[0];
      const old = text.slice(from, v.range[1]);
      edit(from, v.range[1] - from, `${from === v.range[0] ? '' : ' '}${flowText(value)}${old.endsWith('\n') ? '\n' : ''}`);
      return;
    }
    if (map.flow || map.items.length === 0) {
      const close = map.range ? text.lastIndexOf('}', map.range[1]) : -1;
      if (close < 0) throw new Error(`init: cannot add ${key} at ${place.file}#${toPointer(place.tokens)}`);
      edit(close, 0, `${map.items.length > 0 ? ', ' : ''}${plainKey(key)}: ${flowText(value)}${map.items.length > 0 ? ' ' : ''}`);
      return;
    }
    const first = map.items[0]!.key as Node;
    const column = first.range![0] - (text.lastIndexOf('\n', first.range![0] - 1) + 1);
    const afterPair = options.after === undefined ? undefined : map.items.find((p) => isScalar(p.key) && String(p.key.value) === options.after);
    const last = (afterPair ?? map.items.at(-1)!).value as Node | null;
    const end = last?.range ? last.range[2] : (afterPair ?? map.items.at(-1)!).key ? ((afterPair ?? map.items.at(-1)!).key as Node).range![2] : text.length;
    let at = text[end - 1] === '\n' ? end : text.indexOf('\n', end) + 1;
    const lead = at === 0 ? (text.endsWith('\n') ? '' : '\n') : '';
    if (at === 0) at = text.length;
    const block = options.flow ? `${plainKey(key)}: ${flowText(value)}\n` : stringify({ [key]: value }, { indent: source.indent, lineWidth: 0, flowCollectionPadding: false });
    edit(at, 0, lead + block.split('\n').map((l) => (l ? ' '.repeat(column) + l : l)).join('\n').replace(/\n$/, '') + '\n');
  }

  /** Where a node is written when `place` holds only a `$ref` to it (keys beside a `$ref` are ignored). */
  follow(place: Place): Place {
    let at = place;
    for (let hops = 0; hops < 16; hops++) {
      const source = this.open(at.file);
      const node = source.kind === 'json' ? walkData(source.data, at.tokens) : (walkNode(source.doc.contents, at.tokens)?.toJSON() as unknown);
      const ref = isRecord(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
      if (ref === undefined) return at;
      const [file, fragment = ''] = ref.split('#');
      at = { file: file ? path.resolve(path.dirname(at.file), decodeURI(file)) : at.file, tokens: parsePointer(fragment) };
    }
    return at;
  }

  /** The value written at `place`, as data (what the user wrote, not the 3.1 conversion). */
  valueAt(place: Place): unknown {
    const source = this.open(place.file);
    return source.kind === 'json' ? walkData(source.data, place.tokens) : walkNode(source.doc.contents, place.tokens)?.toJSON();
  }

  /** The edited files' new contents. */
  render(): { file: string; contents: string }[] {
    return [...this.touched].sort().map((file) => {
      const source = this.files.get(file)!;
      if (source.kind === 'json') return { file, contents: JSON.stringify(source.data, null, source.indent) + (source.newline ? '\n' : '') };
      let text = source.text;
      // Back to front; at one position the edit applied last lands first: deeper mappings, then the order made.
      for (const e of [...source.edits].sort((a, b) => b.at - a.at || a.depth - b.depth || b.order - a.order)) text = text.slice(0, e.at) + e.text + text.slice(e.at + e.length);
      return { file, contents: text };
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

/** A value on one line: JSON is YAML's flow syntax (codes and refs stay unquoted where plain). */
function flowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (isRecord(value)) return `{ ${Object.entries(value).map(([k, v]) => `${plainKey(k)}: ${flowText(v)}`).join(', ')} }`;
  if (typeof value === 'string') return /^[A-Z][A-Z0-9_]*$/.test(value) && !/^(?:TRUE|FALSE|NULL)$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

function plainKey(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `'${key.replace(/'/g, "''")}'`;
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
      return sources.follow(loc ? { file: path.resolve(loc.file), tokens: parsePointer(loc.pointer) } : { file: absolute, tokens: parsePointer(pointer) });
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
