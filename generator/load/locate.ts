import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { SourceLocation } from '../errors';
import { parsePointer, toPointer } from '../model/pointer';

/**
 * Maps a pointer into the bundled contract back to the authored file and line.
 *
 * Bundling moves content between files, but every pointer that exists in the bundle is also a walk
 * from the root file that follows `$ref`s, so we replay that walk over the authored YAML. Parsed
 * lazily: this only runs when there is something to report.
 */
export class Locator {
  private readonly docs = new Map<string, { root: Node | null; lines: LineCounter } | null>();

  /** `texts`: the contract's files as loaded, by absolute path; the locator reads nothing else. */
  constructor(
    private readonly rootFile: string,
    private readonly texts: ReadonlyMap<string, string>,
  ) {}

  locate(bundledPointer: string): SourceLocation | undefined {
    let file = path.resolve(this.rootFile);
    let node = this.load(file);
    if (node === undefined) return undefined;
    const done: string[] = [];
    let at = node.root;
    let hops = 0;
    for (const token of parsePointer(bundledPointer)) {
      // Follow `$ref`s that stand in the way; a bounded number guards against ref cycles.
      for (let ref = refOf(at); ref !== undefined && hops < 64; ref = refOf(at), hops++) {
        const [refFile, refPointer = ''] = ref.split('#');
        if (refFile) file = path.resolve(path.dirname(file), decodeURI(refFile));
        const target = this.load(file);
        if (target === undefined) return undefined;
        node = target;
        done.length = 0;
        at = node.root;
        for (const t of parsePointer(refPointer)) {
          at = child(at, t);
          done.push(t);
        }
      }
      const next = child(at, token);
      if (next === null) break;
      at = next;
      done.push(token);
    }
    const pos = at?.range ? node.lines.linePos(at.range[0]) : undefined;
    return {
      file: displayPath(file),
      pointer: toPointer(done),
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  }

  private load(file: string) {
    if (!this.docs.has(file)) {
      const text = this.texts.get(file);
      try {
        if (text === undefined) throw new Error(`${file} was not loaded`);
        const lines = new LineCounter();
        // Aliases stay unexpanded here (only node ranges are read), so an alias bomb costs nothing.
        const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
        this.docs.set(file, { root: doc.contents, lines });
      } catch {
        this.docs.set(file, null);
      }
    }
    return this.docs.get(file) ?? undefined;
  }
}

function refOf(node: Node | null): string | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === '$ref');
  return pair && isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : undefined;
}

function child(node: Node | null, token: string): Node | null {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === token);
    return (pair?.value as Node | undefined) ?? null;
  }
  if (isSeq(node)) return (node.items[Number(token)] as Node | undefined) ?? null;
  return null;
}

/** Relative to the working directory when inside it, absolute otherwise. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}
