import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCatalog } from '../model/catalog';
import { docUrlProblems, fixedCodeProblems, readEnvelopes } from '../model/envelope';
import { readInternal } from '../model/internal';
import { unknownKeys } from '../model/strict';
import { parsePointer } from '../model/pointer';
import { isRecord, refOf } from '../model/resolve';
import type { CatalogCode } from '../model/types';
import type { Location, RuleOptions, UserContext } from './redocly';

/** A node and where it is authored (file and pointer), after following `$ref`s. */
export interface Located {
  node: unknown;
  location: Location;
}

export interface Finding {
  location: Location;
  message: string;
  fix: string;
}

/** What the rules need to know about a contract's error conventions, read once per document. */
export interface LintContract {
  /** The catalog's codes; undefined when there is no catalog to check against. */
  codes?: ReadonlyMap<string, CatalogCode>;
  /** Every key under the catalog's `codes`, valid or not (an invalid one is reported once, there). */
  written: ReadonlySet<string>;
  /**
   * Where a part of the catalog is authored (`['codes', 'NOT_FOUND', 'fix']`), following every
   * `$ref` on the way (`codes: { $ref: ./codes.yaml }`), and the last one too unless `followLast`
   * is false. Undefined when the catalog comes from a `catalog` option file.
   */
  locateInCatalog?: (tokens: readonly (string | number)[], followLast?: boolean) => Located;
  catalogProblems: Finding[];
  /** The default envelope. */
  envelope?: LintEnvelope;
  /** Every envelope, the default first (`x-errata.envelopes` after it). */
  envelopes: LintEnvelope[];
  envelopeProblems: Finding[];
  /** The internal error code (`x-errata.internal`, else the catalog's only 500 code). */
  internal?: CatalogCode;
  internalProblems: Finding[];
}

export interface LintEnvelope {
  name: string;
  mediaType: string;
  schemaName: string;
  /** `file#pointer` of the envelope schema after every `$ref`; undefined when not in this document. */
  target?: string;
  requestIdHeader?: string;
  fixedCode?: string;
}

export const CONVENTIONS = 'docs/conventions.md';

/** `file#/pointer`: the identity of an authored node, however many `$ref`s lead to it. */
export function placeOf(location: Location): string {
  return `${location.source.absoluteRef}${location.pointer}`;
}

/** Reports on the key (`'409':`, `QUOTA_EXCEEDED:`) unless the node is a whole file. */
export function onKey(location: Location): Location {
  return location.pointer === '#/' || location.pointer === '' ? location : location.key();
}

/**
 * Follows a `$ref` chain to its end (`#/components/responses/X` → `./responses/X.yaml`), each hop
 * relative to the file the previous one landed in.
 */
export function resolveChain(ctx: UserContext, node: unknown, from?: string): { node: unknown; location?: Location } {
  let at = node;
  let file = from;
  let location: Location | undefined;
  for (let hops = 0; hops < 32 && refOf(at) !== undefined; hops++) {
    const resolved = ctx.resolve(at, file);
    if (!resolved.location) return { node: undefined };
    at = resolved.node;
    location = resolved.location;
    file = location.source.absoluteRef;
  }
  return { node: at, ...(location ? { location } : {}) };
}

export function format(message: string, fix: string): string {
  return `${message}. Fix: ${fix}`;
}

/**
 * Resolves `$ref`s relative to the file each node was authored in: Redocly resolves a reference
 * against a file, while the model's pure readers only pass nodes around.
 */
export class Resolver {
  private readonly files = new WeakMap<object, string>();

  constructor(private readonly ctx: UserContext) {}

  /** Marks a subtree as authored in `file` (objects reached through it without a `$ref`). */
  own(node: unknown, file: string): void {
    if (typeof node !== 'object' || node === null || this.files.has(node)) return;
    this.files.set(node, file);
    for (const child of Object.values(node)) this.own(child, file);
  }

  /** Nodes of the visited file need no `from`: Redocly resolves against it by default. */
  follow(node: unknown, from?: string): { node: unknown; location?: Location } {
    const file = from ?? (typeof node === 'object' && node !== null ? this.files.get(node) : undefined);
    const found = resolveChain(this.ctx, node, file);
    if (found.location) this.own(found.node, found.location.source.absoluteRef);
    return found;
  }

  readonly resolve = (node: unknown): unknown => this.follow(node).node;

  /** Walks `tokens` down from `base`, following `$ref`s on the way (the last one too). */
  locate(base: Located, tokens: readonly (string | number)[], followLast = true): Located {
    let { node, location } = base;
    for (let i = 0; i <= tokens.length; i++) {
      if (refOf(node) !== undefined && (followLast || i < tokens.length)) {
        const next = this.follow(node, location.source.absoluteRef);
        if (!next.location) return { node: undefined, location };
        node = next.node;
        location = next.location;
      }
      if (i === tokens.length) break;
      const token = tokens[i]!;
      node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[token] : undefined;
      location = location.child(token);
    }
    return { node, location };
  }
}

const cache = new WeakMap<object, Map<string, LintContract>>();

/**
 * Reads `x-errata` (or the catalog file named by the `catalog` option) with the model's own
 * readers, so lint and `errata generate` agree on what a valid catalog and envelope are.
 * Cached per document: every errata rule asks for it at the root.
 */
export function contractOf(root: unknown, ctx: UserContext, options: RuleOptions, contentDir: string): LintContract {
  const key = typeof options.catalog === 'string' ? path.resolve(contentDir, options.catalog) : '';
  const rootObject = isRecord(root) ? root : {};
  let perDocument = cache.get(rootObject);
  if (!perDocument) cache.set(rootObject, (perDocument = new Map()));
  let contract = perDocument.get(key);
  if (!contract) {
    contract = key ? fromFile(rootObject, ctx, key) : fromDocument(rootObject, ctx);
    perDocument.set(key, contract);
  }
  return contract;
}

function fromDocument(root: Record<string, unknown>, ctx: UserContext): LintContract {
  const resolver = new Resolver(ctx);
  const rootAt: Located = { node: root, location: ctx.location };
  const contract: LintContract = { written: new Set(), catalogProblems: [], envelopes: [], envelopeProblems: [], internalProblems: [] };
  const errata = resolver.locate(rootAt, ['x-errata']);
  if (!isRecord(errata.node)) return contract;

  // Unknown keys, as generate reports them: the catalog's with the catalog, the rest with the envelope.
  const unknown = unknownKeys(errata.node, resolver.resolve).map((p) => ({ pointer: p.pointer, finding: { location: onKey(resolver.locate(rootAt, parsePointer(p.pointer), false).location), message: p.message, fix: p.fix } }));
  const env = readEnvelopes(errata.node, resolver.resolve, '');
  contract.envelopeProblems = env.problems.map((p) => ({ location: at(resolver.locate(errata, parsePointer(p.pointer), false)), message: p.message, fix: p.fix }));
  contract.envelopeProblems.push(...unknown.filter((u) => !u.pointer.startsWith('/x-errata/catalog/')).map((u) => u.finding));
  for (const e of env.envelopes) {
    const authored = resolver.locate(errata, e.name === 'default' ? ['envelope'] : ['envelopes', e.name]).node;
    const target = isRecord(authored) ? resolver.follow(authored.schema).location : undefined;
    contract.envelopes.push({
      name: e.name,
      mediaType: e.mediaType,
      schemaName: e.schemaName,
      ...(target ? { target: placeOf(target) } : {}),
      ...(e.requestId.header ? { requestIdHeader: e.requestId.header } : {}),
      ...(e.fixedCode !== undefined ? { fixedCode: e.fixedCode } : {}),
    });
  }
  const defaultEnvelope = contract.envelopes.find((e) => e.name === 'default');
  if (defaultEnvelope) contract.envelope = defaultEnvelope;

  if (errata.node.catalog === undefined) return contract;
  const catalogAt = resolver.locate(errata, ['catalog']);
  const cat = readCatalog(catalogAt.node, '', resolver.resolve, env.metaRequired);
  const locateInCatalog = (tokens: readonly (string | number)[], followLast = true) => resolver.locate(catalogAt, tokens, followLast);
  contract.locateInCatalog = locateInCatalog;
  contract.written = keysOf(resolver.resolve(isRecord(catalogAt.node) ? catalogAt.node.codes : undefined));
  contract.codes = new Map(cat.catalog.codes.map((c) => [c.code, c]));
  contract.catalogProblems = cat.problems.map((p) => ({ location: at(locateInCatalog(parsePointer(p.pointer), false)), message: p.message, fix: p.fix }));
  const known = (code: string) => contract.codes!.has(code) || contract.written.has(code);
  contract.envelopeProblems.push(...fixedCodeProblems(env.envelopes, known, '').map((p) => ({ location: resolver.locate(errata, parsePointer(p.pointer), false).location, message: p.message, fix: p.fix })));
  contract.envelopeProblems.push(...docUrlProblems(env.envelopes, cat.catalog.codes, errata.node.docsUrl, '').map((p) => ({ location: resolver.locate(errata, parsePointer(p.pointer), false).location, message: p.message, fix: p.fix })));
  contract.catalogProblems.push(...unknown.filter((u) => u.pointer.startsWith('/x-errata/catalog/')).map((u) => u.finding));
  const internal = readInternal(errata.node.internal, cat.catalog.codes, contract.written);
  if (internal.internal) contract.internal = internal.internal;
  // Pointers are `/x-errata/internal` or `/x-errata`, as generate reports them.
  contract.internalProblems = internal.problems.map((p) => ({ location: resolver.locate(rootAt, parsePointer(p.pointer), false).location, message: p.message, fix: p.fix }));
  return contract;
}

/** A consumer repository: its own OpenAPI file, checked against a catalog.json from errata generate. */
function fromFile(root: Record<string, unknown>, ctx: UserContext, file: string): LintContract {
  const contract: LintContract = { written: new Set(), catalogProblems: [], envelopes: [], envelopeProblems: [], internalProblems: [] };
  const shown = path.relative(process.cwd(), file) || file;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    contract.catalogProblems.push({
      location: ctx.location,
      message: `the catalog file ${shown} named by the \`catalog\` option cannot be read (${(e as Error).message})`,
      fix: 'point `catalog` (relative to redocly.yaml) at the catalog.json that `errata generate` writes',
    });
    contract.codes = new Map();
    return contract;
  }
  // catalog.json inlines everything except circular meta parts, which point into openapi.json.
  const cat = readCatalog(json, '', (n) => n);
  contract.written = keysOf(isRecord(json) ? json.codes : undefined);
  contract.codes = new Map(cat.catalog.codes.map((c) => [c.code, c]));
  contract.catalogProblems = cat.problems.map((p) => ({ location: ctx.location, message: `${shown}#${p.pointer}: ${p.message}`, fix: p.fix }));

  const envelope = isRecord(json) ? json.envelope : undefined;
  if (isRecord(envelope) && typeof envelope.schema === 'string') {
    const resolver = new Resolver(ctx);
    // catalog.json lists every envelope under `envelopes` (the default first); older files only `envelope`.
    const listed = isRecord(json) && Array.isArray(json.envelopes) ? json.envelopes.filter(isRecord) : [{ ...envelope, name: 'default' }];
    for (const e of listed) {
      if (typeof e.schema !== 'string' || typeof e.name !== 'string') continue;
      const local = resolver.locate({ node: root, location: ctx.location }, ['components', 'schemas', e.schema]);
      const header = isRecord(e.requestId) && typeof e.requestId.header === 'string' ? e.requestId.header : undefined;
      contract.envelopes.push({
        name: e.name,
        mediaType: typeof e.mediaType === 'string' ? e.mediaType : 'application/json',
        schemaName: e.schema,
        ...(local.node !== undefined ? { target: placeOf(local.location) } : {}),
        ...(header ? { requestIdHeader: header } : {}),
        ...(isRecord(e.code) && typeof e.code.const === 'string' ? { fixedCode: e.code.const } : {}),
      });
    }
    const first = contract.envelopes.find((e) => e.name === 'default');
    if (first) contract.envelope = first;
  } else {
    contract.envelopeProblems.push({ location: ctx.location, message: `the catalog file ${shown} has no \`envelope\``, fix: 'regenerate it with `errata generate`' });
  }
  return contract;
}

function keysOf(node: unknown): Set<string> {
  return new Set(isRecord(node) ? Object.keys(node) : []);
}

/** A problem with a whole entry (`bad_code:`) points at its key; one with a value, at the value. */
function at(found: Located): Location {
  return isRecord(found.node) ? onKey(found.location) : found.location;
}
