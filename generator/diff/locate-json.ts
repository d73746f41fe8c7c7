import { parsePointer, toPointer } from '../model/pointer';

/**
 * Offsets of the values at `pointers` in a JSON text, in one pass that descends only into
 * containers on the way to a wanted pointer and skips every other value by bracket counting.
 * The general locator parses a file into a YAML document first: for a large single-file JSON
 * contract (GitHub's is 10 MB) that costs far more than the whole diff, to place a handful of
 * changes. Pointers not found (they pass through a `$ref`) are left to the general locator.
 */
export function jsonOffsets(text: string, pointers: Iterable<string>): Map<string, number> {
  const wanted = new Set(pointers);
  const prefixes = new Set<string>();
  for (const p of wanted) {
    const tokens = parsePointer(p);
    for (let n = 0; n < tokens.length; n++) prefixes.add(toPointer(tokens.slice(0, n)));
  }
  const found = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const skipString = () => {
    for (i++; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return void i++;
    }
  };
  const skipValue = () => {
    const c = text[i];
    if (c === '"') return skipString();
    if (c !== '{' && c !== '[') {
      while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
      return;
    }
    for (let depth = 0; i < text.length; ) {
      const d = text[i]!;
      if (d === '"') {
        skipString();
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') depth--;
      i++;
      if (depth === 0) return;
    }
  };
  const value = (pointer: string): void => {
    ws();
    if (wanted.has(pointer)) found.set(pointer, i);
    const c = text[i];
    if (!prefixes.has(pointer) || (c !== '{' && c !== '[')) return skipValue();
    i++;
    for (let index = 0; ; index++) {
      ws();
      if (text[i] === '}' || text[i] === ']') return void i++;
      let token = String(index);
      if (c === '{') {
        const start = i;
        skipString();
        token = JSON.parse(text.slice(start, i)) as string;
        ws();
        i++; // ':'
      }
      value(`${pointer}${toPointer([token])}`);
      ws();
      if (text[i] === ',') i++;
    }
  };
  try {
    value('');
  } catch {
    // Not JSON after all (or cut short): whatever was found stands, the rest goes to the locator.
  }
  return found;
}

/** 1-based line and column of each offset, in one pass over the text. */
export function lineColumns(text: string, offsets: Iterable<number>): Map<number, { line: number; column: number }> {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const out = new Map<number, { line: number; column: number }>();
  let line = 1;
  let lineStart = 0;
  let at = 0;
  for (const offset of sorted) {
    for (; at < offset; at++) {
      if (text.charCodeAt(at) === 10) {
        line++;
        lineStart = at + 1;
      }
    }
    out.set(offset, { line, column: offset - lineStart + 1 });
  }
  return out;
}
