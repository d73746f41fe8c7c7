/** What one walk over a parsed document's `$ref`s found (ref-walk.mjs). */
export interface RefInventory {
  /** When swagger-parser's bundle would return the document untouched: every distinct `$ref` in it. */
  refs: Set<string> | undefined;
  /** When ref-parser's dereference is the simple case: each ref's target, by the ref's text. */
  targets: Map<string, object> | undefined;
}

export function refInventory(root: unknown): RefInventory;

/** ref-parser's `$Ref.is$Ref` and `isAllowed$Ref` for an internal ref. */
export function isRef(value: object): boolean;
