// One walk over a parsed document's `$ref`s, for both shortcuts errata takes on a contract of plain
// internal refs (most large contracts): loading skips swagger-parser's bundle when it would hand the
// document back unchanged, and validation dereferences it without json-schema-ref-parser's crawl
// (dereference.mjs). Both ask whether every ref points straight at a node of this document, with two
// differences, since bundling and dereferencing read refs differently:
//
// - bundling rewrites only refs that resolve elsewhere than they read: `#`, a ref with siblings and
//   one whose target is a scalar or an array stay as written; `$dynamicAnchor` changes nothing.
// - ref-parser's dereference replaces a ref by its target: a ref beside other members is merged with
//   them (not the simple case), `#` would put the document inside itself, the target must be an
//   object, `$dynamicAnchor` may redirect a `$dynamicRef`, an empty `$ref` is no ref, and `#anchor`
//   is an object like any other.
//
// A `$id` anywhere changes how every ref below it resolves: neither shortcut applies. The walk stops
// as soon as neither can. Plain JavaScript: the validation thread runs without TypeScript's loader.

// Pointer tokens that URL resolution and JSON Pointer decoding leave as written (but ~0, ~1): for
// bundling any number of them (`#` is the document), for dereferencing one or more.
const PLAIN_REF = /^#(?:\/[A-Za-z0-9._~-]*)*$/;
const CANONICAL_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * What one walk found (its fields are described once, in ref-walk.d.mts). `targets` is there when
 * ref-parser's dereference is the simple case: every non-empty ref internal, plain, alone in its
 * object, straight at an object.
 */
export function refInventory(root) {
  let asIs = true;
  let simple = typeof root === 'object' && root !== null && !Array.isArray(root) && !isRef(root);
  /** @type {Set<string>} refs that bundling leaves as written */
  const straight = new Set();
  /** @type {Map<string, object>} */
  const targets = new Map();
  const stack = [root];
  while (stack.length > 0 && (asIs || simple)) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue; // only the root can be
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        const item = node[i];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
      continue;
    }
    if (typeof node.$id === 'string') return { refs: undefined, targets: undefined };
    if (simple && typeof node.$dynamicAnchor === 'string') simple = false;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      if (asIs && !straight.has(ref)) {
        if (PLAIN_REF.test(ref) && leadsTo(root, ref, false) !== undefined) straight.add(ref);
        else asIs = false;
      }
      // `#anchor` (and an empty `$ref`) is no ref to ref-parser: an object like any other.
      if (simple && ref.startsWith('#') && !(ref.length > 1 && ref[1] !== '/')) {
        if (ref === '#' || !PLAIN_REF.test(ref) || !alone(node)) simple = false;
        else if (!targets.has(ref)) {
          const target = leadsTo(root, ref, true);
          if (target === undefined) simple = false;
          else targets.set(ref, target);
        }
      } else if (simple && ref.length > 0 && !ref.startsWith('#')) simple = false;
    }
    for (const key in node) {
      const value = node[key];
      if (typeof value === 'object' && value !== null) stack.push(value);
    }
  }
  return { refs: asIs ? straight : undefined, targets: simple ? targets : undefined };
}

/** ref-parser's `$Ref.is$Ref` and `isAllowed$Ref` for an internal ref. */
export function isRef(value) {
  return typeof value.$ref === 'string' && value.$ref.length > 0;
}

/** Whether `node` has no member but `$ref`. */
function alone(node) {
  let members = 0;
  for (const _ in node) if (++members > 1) return false;
  return true;
}

/**
 * The node `ref` (`#` or `#/…`, plain) names, reached through no ref and itself none; undefined
 * otherwise. For bundling any string `$ref` counts as a ref and the node may be a scalar or an
 * array; for dereferencing (`object`) an empty `$ref` is none and the node must be an object.
 */
function leadsTo(root, ref, object) {
  const stillRef = object ? isRef : (value) => typeof value.$ref === 'string';
  let at = root;
  if (ref.length > 1) {
    for (const raw of ref.slice(2).split('/')) {
      if (typeof at !== 'object' || at === null) return undefined;
      if (Array.isArray(at)) {
        if (!CANONICAL_INDEX.test(raw) || Number(raw) >= at.length) return undefined;
        at = at[Number(raw)];
      } else {
        if (stillRef(at)) return undefined;
        const token = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
        if (!Object.hasOwn(at, token)) return undefined;
        at = at[token];
      }
    }
  }
  if (at === undefined) return undefined;
  if (object) return typeof at === 'object' && at !== null && !Array.isArray(at) && !isRef(at) ? at : undefined;
  return typeof at === 'object' && at !== null && !Array.isArray(at) && stillRef(at) ? undefined : at;
}
