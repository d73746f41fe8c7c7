// json-schema-ref-parser's dereference (15.3, `circular: 'ignore'`), for the one case that makes up
// most large contracts: a single document whose every `$ref` is internal, written plainly, alone in
// its object, and points straight at an existing node that is not itself a `$ref`. It builds the
// very tree ref-parser builds (what the OAS check then reads, so its verdict and errors are the
// same), without the two JSON Pointer strings ref-parser joins for every key it visits (a third of
// errata's validation on GitHub's description), and it walks a subtree it already finished once
// instead of again. Anything else returns false untouched, and ref-parser dereferences it.
// Plain JavaScript: the validation thread runs without TypeScript's loader.

// Pointer tokens that URL resolution and JSON Pointer decoding leave as written (but ~0, ~1).
const PLAIN_REF = /^#(?:\/[A-Za-z0-9._~-]*)+$/;
// ref-parser's `dereference.maxDepth` default: deeper than this it throws, and so must we.
const MAX_DEPTH = 500;

class TooDeep extends Error {}

/** ref-parser's `$Ref.is$Ref` and `isAllowed$Ref` for an internal ref. */
const isRef = (value) => typeof value.$ref === 'string' && value.$ref.length > 0;

/**
 * Dereferences `root` in place as ref-parser's `dereference` would, and returns true; or returns
 * false (before changing anything) when `root` is not the simple case above; or undefined when
 * ref-parser could stop at its depth limit (`root` is then changed: parse it again).
 */
export function dereferenceSimple(root) {
  if (typeof root !== 'object' || root === null || Array.isArray(root) || isRef(root)) return false;
  const targets = refTargets(root);
  if (targets === undefined) return false;
  try {
    crawl(root, { parents: new Set(), cache: new Map(), done: new WeakMap(), targets }, 0);
  } catch (e) {
    if (e instanceof TooDeep) return undefined;
    throw e;
  }
  return true;
}

/** Every ref's target by its text, or undefined when some ref or node is outside the simple case. */
function refTargets(root) {
  const targets = new Map();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    if (typeof node.$id === 'string' || typeof node.$dynamicAnchor === 'string') return undefined;
    if (isRef(node)) {
      const ref = node.$ref;
      // Another file, the whole document, or more than the ref: ref-parser's.
      if (ref[0] !== '#' || ref === '#') return undefined;
      if (ref.startsWith('#/')) {
        if (!PLAIN_REF.test(ref) || Object.keys(node).length !== 1) return undefined;
        if (!targets.has(ref)) {
          const target = straightAt(root, ref);
          if (target === undefined) return undefined;
          targets.set(ref, target);
        }
      }
      // `#anchor` is no ref to ref-parser: an object like any other.
    }
    for (const key of Object.keys(node)) stack.push(node[key]);
  }
  return targets;
}

/** The object `ref` names, reached through no `$ref` and itself none; otherwise undefined. */
function straightAt(root, ref) {
  let at = root;
  for (const raw of ref.slice(2).split('/')) {
    if (typeof at !== 'object' || at === null || isRef(at)) return undefined;
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at) ? !/^(?:0|[1-9]\d*)$/.test(token) || Number(token) >= at.length : !Object.hasOwn(at, token)) return undefined;
    at = at[token];
  }
  return typeof at === 'object' && at !== null && !Array.isArray(at) && !isRef(at) ? at : undefined;
}

/**
 * ref-parser's `crawl`, returning whether `obj` is circular. `parents` are the objects on the way
 * here and `cache` each ref's result (`{ circular, value }`) by its text, as in ref-parser; `done`
 * remembers each object crawled to the end: whether it was circular, which crawling it again would
 * find again (every ref left in it is one whose cached result is circular, and nothing is left to
 * replace), and how deep that crawl went, so that the depth ref-parser would reach crawling it
 * again stays checked. Throws TooDeep wherever ref-parser could throw its RangeError.
 */
function crawl(obj, state, depth) {
  if (depth > MAX_DEPTH) throw new TooDeep();
  const known = state.done.get(obj);
  if (known !== undefined) {
    if (depth + known.height > MAX_DEPTH) throw new TooDeep();
    return known.circular;
  }
  state.parents.add(obj);
  let circular = false;
  let height = 0;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (typeof value !== 'object' || value === null) {
      // ref-parser crawls a scalar too, one level down (where its depth check may throw).
      if (depth + 1 > MAX_DEPTH) throw new TooDeep();
      height = Math.max(height, 1);
      continue;
    }
    if (isRef(value) && value.$ref.startsWith('#/')) {
      const result = dereference(value, state, depth);
      if (obj[key] !== result.value) obj[key] = result.value;
      circular ||= result.circular;
      height = Math.max(height, result.height);
    } else if (!state.parents.has(value)) {
      circular = crawl(value, state, depth + 1) || circular;
      height = Math.max(height, 1 + state.done.get(value).height);
    } else {
      circular = true;
    }
  }
  state.parents.delete(obj);
  state.done.set(obj, { circular, height });
  return circular;
}

/**
 * ref-parser's `dereference$Ref` for a ref alone in its object that points straight at an object:
 * circular (its target is on the way here, or reaches a ref that is) it stays as it is; otherwise
 * it becomes its target, crawled. `height`: how deep below this ref's object the crawl went.
 */
function dereference(ref, state, depth) {
  const text = ref.$ref;
  const cached = state.cache.get(text);
  if (cached !== undefined) return { circular: cached.circular, value: cached.value, height: 0 };
  const target = state.targets.get(text);
  let circular = state.parents.has(target);
  let height = 0;
  if (!circular) {
    circular = crawl(target, state, depth + 1);
    height = 1 + state.done.get(target).height;
  }
  const result = { circular, value: circular ? ref : target };
  state.cache.set(text, result);
  return { ...result, height };
}
