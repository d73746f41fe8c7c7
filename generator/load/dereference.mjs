// json-schema-ref-parser's dereference (15.3, `circular: 'ignore'`), for the one case that makes up
// most large contracts: a single document whose every `$ref` is internal, written plainly, alone in
// its object, and points straight at an existing node that is not itself a `$ref`. It builds the
// very tree ref-parser builds (what the OAS check then reads, so its verdict and errors are the
// same), without the two JSON Pointer strings ref-parser joins for every key it visits (a third of
// errata's validation on GitHub's description), and it walks a subtree it already finished once
// instead of again. Anything else returns false untouched, and ref-parser dereferences it.
// Plain JavaScript: the validation thread runs without TypeScript's loader.

import { isRef, refInventory } from './ref-walk.mjs';

// ref-parser's `dereference.maxDepth` default: deeper than this it throws, and so must we.
const MAX_DEPTH = 500;
// In `seen`, an object on the way here; a finished one maps to its crawl's `code` (below).
const ON_PATH = -1;

class TooDeep extends Error {}

/**
 * Dereferences `root` in place as ref-parser's `dereference` would, and returns true; or returns
 * false (before changing anything) when `root` is not the simple case above; or undefined when
 * ref-parser could stop at its depth limit (`root` is then changed: parse it again).
 */
export function dereferenceSimple(root) {
  const { targets } = refInventory(root);
  if (targets === undefined) return false;
  try {
    crawl(root, { seen: new Map(), cache: new Map(), targets }, 0);
  } catch (e) {
    if (e instanceof TooDeep) return undefined;
    throw e;
  }
  return true;
}

/**
 * ref-parser's `crawl`. Returns a code: `height << 1 | circular`, where circular says whether `obj`
 * is, and height how deep below it the crawl went. `seen` holds the objects on the way here
 * (`parents` in ref-parser) and each object crawled to the end with its code, which crawling it
 * again would find again (every ref left in it is one whose cached result is circular, and nothing
 * is left to replace); its height keeps the depth ref-parser would reach crawling it again checked.
 * `cache` is each ref's result (`{ circular, value }`) by its text, as in ref-parser. Throws TooDeep
 * wherever ref-parser could throw its RangeError. One Map and no array of keys per object: this
 * walk visits every object of the document.
 */
function crawl(obj, state, depth) {
  if (depth > MAX_DEPTH) throw new TooDeep();
  const known = state.seen.get(obj);
  if (known !== undefined) {
    if (depth + (known >> 1) > MAX_DEPTH) throw new TooDeep();
    return known;
  }
  state.seen.set(obj, ON_PATH);
  let code = 0;
  // Members in Object.keys order, as ref-parser visits them (which ref stays circular depends on it).
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) code = merge(code, member(obj, i, state, depth));
  } else {
    for (const key in obj) code = merge(code, member(obj, key, state, depth));
  }
  state.seen.set(obj, code);
  return code;
}

/** Circular if either is; the greater height. */
const merge = (a, b) => (Math.max(a >> 1, b >> 1) << 1) | (a & 1) | (b & 1);

/** One member of `obj`: crawled, or, a ref, dereferenced. Its code as seen from `obj`. */
function member(obj, key, state, depth) {
  const value = obj[key];
  if (typeof value !== 'object' || value === null) {
    // ref-parser crawls a scalar too, one level down (where its depth check may throw).
    if (depth + 1 > MAX_DEPTH) throw new TooDeep();
    return 1 << 1;
  }
  if (isRef(value) && value.$ref.startsWith('#/')) return dereference(obj, key, value, state, depth);
  const at = state.seen.get(value);
  if (at === ON_PATH) return 1;
  const code = crawl(value, state, depth + 1);
  return ((1 + (code >> 1)) << 1) | (code & 1);
}

/**
 * ref-parser's `dereference$Ref` for a ref alone in its object that points straight at an object:
 * circular (its target is on the way here, or reaches a ref that is) it stays as it is (every
 * later use of the same ref becomes this first one, as in ref-parser); otherwise it becomes its
 * target, crawled.
 */
function dereference(obj, key, ref, state, depth) {
  const text = ref.$ref;
  let entry = state.cache.get(text);
  let height = 0;
  if (entry === undefined) {
    const target = state.targets.get(text);
    let circular = 1;
    if (state.seen.get(target) !== ON_PATH) {
      const code = crawl(target, state, depth + 1);
      circular = code & 1;
      height = 1 + (code >> 1);
    }
    entry = { circular, value: circular ? ref : target };
    state.cache.set(text, entry);
  }
  if (obj[key] !== entry.value) obj[key] = entry.value;
  return (height << 1) | entry.circular;
}
