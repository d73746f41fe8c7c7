import type { Document } from '../load/load-contract';
import { getAt, parsePointer } from './pointer';

/** Follows a node's internal `$ref` chain; returns the node itself when it is not a reference. */
export type Resolve = (node: unknown) => unknown;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function refOf(node: unknown): string | undefined {
  return isRecord(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
}

export function internalResolver(document: Document): Resolve {
  return (node) => {
    let at = node;
    for (let hops = 0; hops < 32; hops++) {
      const ref = refOf(at);
      if (ref === undefined || !ref.startsWith('#')) return at;
      at = getAt(document, parsePointer(ref));
    }
    return at;
  };
}
