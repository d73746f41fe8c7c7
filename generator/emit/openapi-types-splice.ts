/**
 * openapi-typescript's output for `generate --watch`, re-made only where the input changed.
 *
 * openapi-typescript (7.13) bundles the whole document with Redocly, transforms it into one list of
 * declarations (transform/index: `paths`, `webhooks`, `components`, `$defs`, then the footer:
 * `operations` and helper types) and prints it; on a large contract each of the three takes
 * seconds. The output is made of members that each come from one part of the input: a member of
 * `paths` (and the `operations` members its operations inject) from one path item, a member of
 * `components.schemas` (`responses`, `headers`) from one component. So this module runs the whole
 * transform once (openapi-types-run.mjs, as a one-shot run does), prints every such member on its
 * own, and checks that putting them back together gives byte for byte what openapi-typescript
 * printed; on an edit it transforms again only the path items
 * and components that changed (and those whose output reads a changed component: an `allOf` or a
 * property `$ref`), with openapi-typescript's own transformers and context, and splices their text
 * in. Whatever it cannot account for runs the whole thing again (`full`): other top-level changes,
 * added or removed components, discriminators, non-local options, `$ref`s Redocly's bundler would
 * rewrite, helper types appearing or disappearing.
 */
import type TS from 'typescript';
import { parsePointer } from '../model/pointer';
import { loadOpenapiTypescript, parseProblems, printedProblems, transformText, type OpenapiTypescript, type ParseProblem } from './openapi-types-run.mjs';

type Json = Record<string, any>;
type Ots = typeof import('openapi-typescript');

export interface SpliceAnswer {
  ts: string;
  problems: ParseProblem[];
  /** How the answer was made (the watch test and bench read it): everything, or only what changed. */
  how: 'full' | 'spliced' | 'unchanged';
  /** Why a watch run transformed everything again. */
  why?: string;
  /** Spliced: how many parts (path items, components) were transformed again, of how many. */
  remade?: number;
  parts?: number;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Components whose output no other part's output reads (or reads only through `$ref`s we follow). */
const SPLICED_SECTIONS = ['schemas', 'responses', 'headers'];
/** openapi-typescript options that change only how each node is written, not which nodes exist. */
const LOCAL_OPTIONS = new Set(['additionalProperties', 'arrayLength', 'defaultNonNullable', 'emptyObjectsUnknown', 'propertiesRequiredByDefault']);
/** Keys whose values are literal data: Redocly's bundler replaces a `$ref` there by its target. */
const LITERAL_KEYS = new Set(['example', 'examples', 'default', 'const', 'enum']);
/** Keys whose value maps names to objects (a name there may look like `x-…` or `default`). */
const NAMED_MAPS = new Set(['headers', 'properties', 'patternProperties', 'dependentSchemas', '$defs', 'content', 'encoding', 'links', 'callbacks', 'responses', 'schemas', 'parameters', 'requestBodies', 'securitySchemes', 'pathItems']);
const SLOT = '__errata_splice_slot__';

/** One member (or, for a path item, its members) of the output, with the input it came from. */
interface Unit {
  key: string;
  /** Its input as JSON, to see whether it changed and whom it references. */
  json: string;
  text: string;
  /** A path item's `operations` members. */
  ops: string;
  /** The discriminator mappings it makes (`mappings`): scanDiscriminators patches the schemas they name. */
  maps: string[];
  /** It was transformed again this run (its text is checked for parse errors). */
  fresh?: boolean;
}

interface State {
  options: string;
  /** The bundled document openapi-typescript transformed: `ctx.resolve` reads it. */
  schema: Json;
  ctx: Json;
  /** The input's other parts (top-level keys, unspliced components sections), as JSON. */
  fixed: Map<string, string>;
  paths: Unit[];
  components: Map<string, Unit[]>;
  /** `operations` members not injected by `paths` (webhooks, components.pathItems). */
  opsTail: string;
  /** The output with a slot line where each spliced container's members go. */
  skeleton: string[];
  slots: string[];
  helpers: string[];
  discriminators: Set<string>;
  /** The discriminator mappings the unspliced parts make. */
  fixedMaps: string[];
  last: string;
}

export function createSplicer(): { run(text: string, options: Readonly<Record<string, boolean>>): Promise<SpliceAnswer> } {
  const loaded = loadOpenapiTypescript();
  let state: State | undefined;
  let cut: boolean | undefined;

  return {
    async run(text, options) {
      const tools = await loaded;
      const doc = JSON.parse(text) as Json;
      const optionsKey = JSON.stringify(options);
      let why: string;
      if (state && state.options === optionsKey) {
        // Anything splice cannot account for (or a transform that throws) is left to the whole run.
        const answer = await splice(state, doc, tools).catch((e: unknown) => `a transform failed (${String(e)})`);
        if (typeof answer !== 'string') return answer;
        why = answer;
      } else why = state ? 'the options changed' : cut === false ? 'the last whole run could not be cut into parts' : 'first run';
      state = undefined;
      const made = await full(text, doc, options, tools);
      state = made.state;
      cut = state !== undefined;
      return { ...made.answer, why };
    },
  };
}

/** The whole run, as a one-shot run makes it, kept in parts for the next edit. */
async function full(text: string, doc: Json, options: Readonly<Record<string, boolean>>, tools: OpenapiTypescript): Promise<{ answer: SpliceAnswer; state: State | undefined }> {
  const { ots, ts } = tools;
  const { schema, ctx, statements, printed } = await transformText(text, options, tools);
  const answer: SpliceAnswer = { ts: printed, problems: printedProblems(ts, statements, printed), how: 'full' };
  const local = Object.entries(options).every(([k, v]) => LOCAL_OPTIONS.has(k) || v === false);
  return { answer, state: local && answer.problems.length === 0 ? units(doc, schema, ctx, statements, printed, JSON.stringify(options), ts, ots) : undefined };
}

/** Cuts a full run's output into units; undefined when they do not print back to it exactly. */
function units(doc: Json, schema: Json, ctx: Json, statements: TS.Node[], printed: string, options: string, ts: typeof TS, ots: Ots): State | undefined {
  const f = ts.factory;
  const named = (name: string) => statements.find((s): s is TS.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  const pathsNode = named('paths');
  const componentsNode = named('components');
  const opsNode = named('operations');
  if (!isRecord(doc.paths) || !pathsNode || !componentsNode) return undefined;
  const helpers = statements.filter((s) => s !== opsNode && ctx.injectFooter.includes(s)).map((s) => (s as TS.TypeAliasDeclaration).name?.text ?? '');
  // The footer's order is its first use's: `operations` first unless a helper came before any operation.
  if (helpers.some((h) => h !== 'WithRequired') || (opsNode && helpers.length > 0 && ctx.injectFooter.indexOf(opsNode) > 0)) return undefined;

  const slot = (name: string) => f.createPropertySignature(undefined, SLOT + name, undefined, f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword));
  const slots: string[] = ['paths'];
  const replaced = new Map<TS.Node, TS.Node>();
  replaced.set(pathsNode, f.updateInterfaceDeclaration(pathsNode, pathsNode.modifiers, pathsNode.name, undefined, undefined, [slot('paths')]));
  const sections = new Map<string, TS.TypeElement[]>();
  const componentMembers = componentsNode.members.map((m) => {
    const name = m.name && ts.isIdentifier(m.name) ? m.name.text : '';
    if (!ts.isPropertySignature(m) || !m.type || !ts.isTypeLiteralNode(m.type) || !SPLICED_SECTIONS.includes(name)) return m;
    sections.set(name, [...m.type.members]);
    slots.push(name);
    return f.updatePropertySignature(m, m.modifiers, m.name, m.questionToken, f.createTypeLiteralNode([slot(name)]));
  });
  replaced.set(componentsNode, f.updateInterfaceDeclaration(componentsNode, componentsNode.modifiers, componentsNode.name, undefined, undefined, componentMembers));
  if (opsNode) {
    slots.push('operations');
    replaced.set(opsNode, f.updateInterfaceDeclaration(opsNode, opsNode.modifiers, opsNode.name, undefined, undefined, [slot('operations')]));
  }
  const skeletonText = ots.astToString(statements.map((s) => replaced.get(s) ?? s) as never);
  const skeleton = skeletonText.split(new RegExp(`^ *${SLOT}\\w+: never;\\n`, 'm'));
  if (skeleton.length !== slots.length + 1) return undefined;

  const print = printer(ts, ots);
  const pathEntries = ots.getEntries(doc.paths, ctx as never).filter(([, v]) => v && typeof v === 'object');
  const pathMembers = pathsNode.members;
  if (pathEntries.length !== pathMembers.length) return undefined;
  const opMembers = opsNode ? [...opsNode.members] : [];
  let op = 0;
  const paths: Unit[] = pathEntries.map(([url, item], i) => {
    const count = injected(item as Json);
    const ops = opMembers.slice(op, op + count).map((m) => print(m, 1)).join('');
    op += count;
    return { key: url, json: JSON.stringify(item), text: print(pathMembers[i]!, 1), ops, maps: mappings(item) };
  });
  const opsTail = opMembers.slice(op).map((m) => print(m, 1)).join('');
  const components = new Map<string, Unit[]>();
  for (const [section, members] of sections) {
    const entries = Object.entries(doc.components?.[section] ?? {});
    if (entries.length !== members.length) return undefined;
    components.set(section, entries.map(([name, item], i) => ({ key: name, json: JSON.stringify(item), text: print(members[i]!, 2), ops: '', maps: mappings(item) })));
  }
  const fixed = fixedParts(doc);
  const discriminators = new Set<string>([...Object.keys(ctx.discriminators.objects), ...ctx.discriminators.refsHandled]);
  const fixedMaps = Object.entries(doc).flatMap(([k, v]) => (k === 'paths' ? [] : k === 'components' ? Object.entries(v as Json).flatMap(([section, entries]) => (SPLICED_SECTIONS.includes(section) ? [] : mappings(entries))) : mappings(v)));
  const state: State = { options, schema, ctx, fixed, paths, components, opsTail, skeleton, slots, helpers, discriminators, fixedMaps, last: printed };
  return assemble(state) === printed ? state : undefined;
}

/** The members openapi-typescript's `injectOperationObject` adds to `operations` for a path item. */
function injected(item: Json): number {
  if ('$ref' in item) return 0;
  return METHODS.filter((m) => isRecord(item[m]) && !('$ref' in item[m]) && item[m].operationId).length;
}

function fixedParts(doc: Json): Map<string, string> {
  const fixed = new Map<string, string>();
  for (const [k, v] of Object.entries(doc)) if (k !== 'paths' && k !== 'components') fixed.set(k, JSON.stringify(v));
  for (const [k, v] of Object.entries(isRecord(doc.components) ? doc.components : {})) fixed.set(`components/${k}`, SPLICED_SECTIONS.includes(k) ? JSON.stringify(Object.keys(v as Json)) : JSON.stringify(v));
  fixed.set('keys', JSON.stringify([Object.keys(doc), Object.keys(doc.components ?? {})]));
  return fixed;
}

function assemble(state: State): string {
  const bodies = state.slots.map((s) =>
    s === 'paths' ? state.paths.map((u) => u.text).join('') : s === 'operations' ? state.paths.map((u) => u.ops).join('') + state.opsTail : state.components.get(s)!.map((u) => u.text).join(''),
  );
  return state.skeleton.map((part, i) => part + (bodies[i] ?? '')).join('');
}

/** Prints one member as it prints inside its container, `depth` levels deep. */
function printer(ts: typeof TS, ots: Ots): (member: TS.TypeElement, depth: 1 | 2) => string {
  const f = ts.factory;
  return (member, depth) => {
    const inner = depth === 1 ? [member] : [f.createPropertySignature(undefined, 's', undefined, f.createTypeLiteralNode([member]))];
    const lines = ots.astToString(f.createInterfaceDeclaration(undefined, 'x', undefined, undefined, inner) as never).split('\n');
    // "interface x {", ["    s: {"], …the member…, ["    };"], "}", ""
    return `${lines.slice(depth, lines.length - 1 - depth).join('\n')}\n`;
  };
}

/** The output with only the changed units transformed again, or undefined when that is not safe. */
async function splice(state: State, doc: Json, tools: OpenapiTypescript): Promise<SpliceAnswer | string> {
  const { ots, ts } = tools;
  if (!isRecord(doc.paths)) return 'the paths are not an object';
  const fixed = fixedParts(doc);
  if (fixed.size !== state.fixed.size || [...fixed].some(([k, v]) => state.fixed.get(k) !== v)) return 'a part other than a path item or a component (schemas, responses, headers) changed, or components were added or removed';

  // Which units changed, and which path items were added or removed.
  const before = new Map(state.paths.map((u) => [u.key, u]));
  const entries = ots.getEntries(doc.paths, state.ctx as never).filter(([, v]) => v && typeof v === 'object');
  if (entries.length === 0 || state.paths.length === 0) return 'no path items before or after';
  const paths: Unit[] = entries.map(([url, item]) => {
    const json = JSON.stringify(item);
    const old = before.get(url);
    return old && old.json === json ? old : { key: url, json, text: '', ops: '', maps: mappings(item), fresh: true };
  });
  const components = new Map<string, Unit[]>();
  const changedRefs: string[] = [];
  for (const [section, old] of state.components) {
    components.set(
      section,
      old.map((u) => {
        const json = JSON.stringify(doc.components[section][u.key]);
        if (json === u.json) return u;
        changedRefs.push(ots.createRef(['components', section, u.key]));
        return { key: u.key, json, text: '', ops: '', maps: mappings(doc.components[section][u.key]), fresh: true };
      }),
    );
  }
  const sameOrder = paths.length === state.paths.length && paths.every((u, i) => u.key === state.paths[i]!.key);
  if (sameOrder && !paths.some((u) => u.fresh) && changedRefs.length === 0) return { ts: state.last, problems: [], how: 'unchanged' };

  // Units whose output reads a changed component (`ctx.resolve`) are made again too.
  if (changedRefs.length > 0) {
    const needles = changedRefs.map((r) => `"$ref":${JSON.stringify(r)}`);
    const reads = (u: Unit) => needles.some((n) => u.json.includes(n));
    if ([...state.fixed.values()].some((json) => needles.some((n) => json.includes(n)))) return 'a changed component is read by a part that is not spliced';
    for (const list of [paths, ...components.values()]) list.forEach((u, i) => !u.fresh && reads(u) && (list[i] = { ...u, text: '', ops: '', fresh: true }));
  }

  // What the whole run would do differently from transforming these units alone.
  const fresh: { unit: Unit; ref: string; item: Json; section?: string }[] = [];
  for (const u of paths) if (u.fresh) fresh.push({ unit: u, ref: ots.createRef(['paths', u.key]), item: doc.paths[u.key] });
  for (const [section, list] of components) for (const u of list) if (u.fresh) fresh.push({ unit: u, ref: ots.createRef(['components', section, u.key]), item: doc.components[section][u.key], section });
  // scanDiscriminators patches each schema a discriminator maps, once, with the first mapping it
  // meets: splicing keeps those patches, so every part that maps a schema must map it alike.
  const newKeys = new Set(paths.map((u) => u.key));
  const oldUnits = new Map<Unit, string[]>();
  for (const u of paths) if (u.fresh) oldUnits.set(u, before.get(u.key)?.maps ?? []);
  for (const [section, list] of components) list.forEach((u, i) => u.fresh && oldUnits.set(u, state.components.get(section)![i]!.maps));
  const gone = state.paths.filter((u) => !newKeys.has(u.key));
  const all = [...paths, ...[...components.values()].flat()];
  const touched = new Set([...oldUnits.entries()].flatMap(([u, old]) => [...old, ...u.maps]).concat(gone.flatMap((u) => u.maps)));
  if (touched.size > 0) {
    const handled = new Set<string>(state.ctx.discriminators.refsHandled);
    const byRef = new Map<string, Set<string>>();
    for (const m of [...all.flatMap((u) => u.maps), ...state.fixedMaps, ...touched]) {
      const ref = m.slice(0, m.indexOf('\n'));
      byRef.set(ref, (byRef.get(ref) ?? new Set()).add(m));
    }
    const mapped = new Set([...all.flatMap((u) => u.maps), ...state.fixedMaps].map((m) => m.slice(0, m.indexOf('\n'))));
    for (const m of touched) {
      const ref = m.slice(0, m.indexOf('\n'));
      if (!handled.has(ref) || byRef.get(ref)!.size !== 1 || !mapped.has(ref)) return 'a discriminator mapping changed';
    }
  }
  const patched = (ref: string) => (state.ctx.discriminators.refsHandled as string[]).some((h) => h === ref || h.startsWith(`${ref}/`));
  for (const { unit, item, ref, section } of fresh) {
    // A mapped schema carries the patch scanDiscriminators made to it; a new text would not.
    if (patched(ref) || (section && Object.keys(state.ctx.discriminators.objects).some((k) => k === ref || k.startsWith(`${ref}/`)))) return 'a changed part is a schema a discriminator maps';
    if (unit.json.includes('"externalValue"')) return 'a changed part has an externalValue';
    if (!refsAreLocal(item, doc, state.discriminators, false)) return 'a changed part has a $ref Redocly would bundle differently (literal data, outside the document, or an allOf of a discriminated schema)';
  }

  // The discriminators found in the changed parts, where a whole run's scan would find them.
  const objects = state.ctx.discriminators.objects as Json;
  for (const ref of [...fresh.map((f) => f.ref), ...gone.map((u) => ots.createRef(['paths', u.key]))]) {
    for (const key of Object.keys(objects)) if (key === ref || key.startsWith(`${ref}/`)) delete objects[key];
  }
  for (const { ref, item } of fresh) {
    ots.walk(item, (obj: Json, at: (string | number)[]) => {
      if (obj?.discriminator?.propertyName) objects[ots.createRef([ref, ...at.map(String)])] = obj.discriminator;
    });
  }

  // openapi-typescript's resolve() reads the bundled document: give it the new units.
  const schema = state.schema;
  schema.paths = Object.fromEntries(entries.map(([url, item], i) => [url, paths[i]!.fresh ? item : schema.paths[url]]));
  for (const { item, section, unit } of fresh) if (section) schema.components[section][unit.key] = item;

  const print = printer(ts, ots);
  const firstWithOps = paths.findIndex((u) => injected(doc.paths[u.key]) > 0);
  for (const { unit, item, section } of fresh) {
    const footer: TS.Node[] = [];
    const ctx = { ...state.ctx, injectFooter: footer };
    if (section) {
      const [literal] = ots.transformComponentsObject({ [section]: { [unit.key]: item } } as never, ctx as never) as unknown as TS.TypeLiteralNode[];
      const member = literal!.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === section) as TS.PropertySignature;
      unit.text = print((member.type as TS.TypeLiteralNode).members[0]!, 2);
    } else {
      const literal = ots.transformPathsObject({ [unit.key]: item } as never, ctx as never) as unknown as TS.TypeLiteralNode;
      unit.text = literal.members.map((m) => print(m, 1)).join('');
      const ops = footer.find((n): n is TS.InterfaceDeclaration => ts.isInterfaceDeclaration(n) && n.name.text === 'operations');
      unit.ops = ops ? ops.members.map((m) => print(m, 1)).join('') : '';
      if (ops && !state.slots.includes('operations')) return 'operations appeared';
      // A helper used before the first operation would come first in the footer.
      if (footer.some((n) => n !== ops) && paths.indexOf(unit) <= firstWithOps) return 'a helper type is first used before the first operation';
    }
    const helpers = footer.filter((n) => !ts.isInterfaceDeclaration(n)).map((n) => (n as TS.TypeAliasDeclaration).name.text);
    if (helpers.some((h) => !state.helpers.includes(h))) return 'a new helper type is used';
  }
  if (state.slots.includes('operations') && !paths.some((u) => u.ops) && !state.opsTail) return 'no operations are left';

  const next: State = { ...state, fixed, paths, components };
  const text = assemble(next);
  // A helper no unit uses any more would not be in a whole run's footer.
  if (state.helpers.some((h) => text.split(`${h}<`).length <= 2)) return 'a helper type is no longer used';
  const problems = freshProblems(ts, next, text);
  for (const u of [...paths, ...[...components.values()].flat()]) delete u.fresh;
  next.last = text;
  state.paths = next.paths;
  state.components = next.components;
  state.fixed = next.fixed;
  state.last = text;
  return { ts: text, problems, how: 'spliced', remade: fresh.length, parts: paths.length + [...components.values()].reduce((n, l) => n + l.length, 0) };
}

/**
 * Every `$ref` in a unit points into the document, and none sits where Redocly's bundler would
 * replace it by its target (literal data: examples, defaults, enums, extensions) or where
 * openapi-typescript's discriminator scan would register the unit (an `allOf` of a discriminated
 * schema). In doubt (a property named like a keyword), it says no: the whole run is then made.
 */
function refsAreLocal(node: unknown, doc: Json, discriminators: Set<string>, literal: boolean, map = false): boolean {
  if (Array.isArray(node)) return node.every((n) => refsAreLocal(n, doc, discriminators, literal));
  if (!isRecord(node)) return true;
  if ('$ref' in node) {
    if (literal || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) return false;
    let target: unknown = doc;
    for (const token of parsePointer(node.$ref)) {
      if (!isRecord(target) && !Array.isArray(target)) return false;
      target = (target as Json)[token];
    }
    if (target === undefined) return false;
  }
  if (Array.isArray(node.allOf) && node.allOf.some((item: unknown) => isRecord(item) && discriminators.has(item.$ref))) return false;
  // In a map of named objects (headers, properties, …) a key is a name, not a keyword or extension.
  if (map) return Object.values(node).every((v) => refsAreLocal(v, doc, discriminators, literal));
  return Object.entries(node).every(([k, v]) => {
    // A media type's or parameter's `examples` is a map of Example Objects: only their `value` is data.
    if (k === 'examples' && isRecord(v)) return Object.values(v).every((example) => !isRecord(example) || Object.entries(example).every(([ek, ev]) => refsAreLocal(ev, doc, discriminators, literal || ek === 'value' || ek.startsWith('x-'))));
    // `default` is a response, not data, beside status codes.
    const data = (LITERAL_KEYS.has(k) && !(k === 'default' && Object.keys(node).some((s) => /^[1-5](\d\d|XX)$/.test(s)))) || k.startsWith('x-');
    return refsAreLocal(v, doc, discriminators, literal || data, !data && NAMED_MAPS.has(k) && isRecord(v));
  });
}

/** `ref\npropertyName\nvalues` for each schema a discriminator in `node` maps, as scanDiscriminators reads them. */
function mappings(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) mappings(n, out);
    return out;
  }
  if (!isRecord(node)) return out;
  const d = node.discriminator;
  if (isRecord(d) && d.propertyName) {
    const mapping = new Map<string, { inferred?: string; defined?: string[] }>();
    for (const item of Array.isArray(node.oneOf) ? node.oneOf : []) {
      if (isRecord(item) && typeof item.$ref === 'string') {
        const value = item.$ref.split('/').pop();
        if (value) mapping.set(item.$ref, { ...mapping.get(item.$ref), inferred: value });
      }
    }
    for (const [value, ref] of Object.entries(isRecord(d.mapping) ? d.mapping : {})) {
      if (!ref) continue;
      const m = mapping.get(ref as string);
      if (!m?.defined) mapping.set(ref as string, { ...m, defined: [] });
      mapping.get(ref as string)!.defined!.push(value);
    }
    for (const [ref, { inferred, defined }] of mapping) if (inferred || defined) out.push(`${ref}\n${String(d.propertyName)}\n${JSON.stringify(defined ?? [inferred])}`);
  }
  for (const v of Object.values(node)) mappings(v, out);
  return out;
}

function freshProblems(ts: typeof TS, state: State, text: string): SpliceAnswer['problems'] {
  const problems: SpliceAnswer['problems'] = [];
  for (const u of [...state.paths, ...[...state.components.values()].flat()]) {
    if (!u.fresh) continue;
    for (const slice of [u.text, u.ops]) {
      if (!slice) continue;
      const at = text.indexOf(slice);
      const line = text.slice(0, at).split('\n').length - 1;
      problems.push(...parseProblems(ts, `interface x {\n${slice}}\n`, line - 1));
    }
  }
  return problems;
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
