import type { Document } from '../load/load-contract';
import { markdown } from '../model/escape';
import { internalResolver, isRecord, type Resolve } from '../model/resolve';
import type { ErrorContract } from '../model/types';
import { render } from '../emit/render';
import { REFERENCE_TAG, operationErrorsView, referenceView } from './reference-view';

/**
 * The contract Redoc renders: the expanded contract plus the error reference as the description
 * of a tag of its own, and a "Possible errors" table appended to each operation's description,
 * each code linking to `#error-CODE`. The reference is a tag, not part of `info.description`,
 * because Redoc gives a tag's headings routes and search entries (a heading per code, so
 * searching `QUOTA_EXCEEDED` lands on it) and gives the headings of `info.description` neither.
 * `x-traitTag` makes it a page with no operations. https://redocly.com/docs/redoc/markdown
 */
export function docsContract(model: ErrorContract, bundled: Document): Document {
  // The reference is built from the contract as written (views escape what they read, once);
  // only the copy handed to Redoc has its own descriptions escaped.
  const source = internalResolver(bundled);
  const reference = render('docs/error-reference.md', referenceView(model, errorExamples(model, source), source));
  const doc = structuredClone(bundled);
  // First the contract's own Markdown, so that what is appended below is escaped exactly once.
  escapeMarkdownFields(doc);
  const resolve = internalResolver(doc);
  addReferenceTag(doc, reference);

  const codes = new Map(model.codes.map((c) => [c.code, c]));
  const paths = isRecord(doc.paths) ? doc.paths : {};
  const done = new WeakSet<object>();
  for (const op of model.operations) {
    const item = resolve(paths[op.path]);
    const target = isRecord(item) ? resolve(item[op.method]) : undefined;
    // A path item shared through `$ref` is one object: its table is appended once.
    if (!isRecord(target) || done.has(target)) continue;
    done.add(target);
    const view = operationErrorsView(op, codes);
    const table = view.rows.length ? render('docs/operation-errors.md', view) : '';
    // A blank line keeps the table out of the description's last paragraph.
    target.description = [target.description, table].filter((part) => typeof part === 'string' && part !== '').join('\n\n');
  }
  return doc;
}

/** The tag's name as Redoc makes a route of it (`API keys` → `api-keys`). */
function routeOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Adds the reference tag first in `tags` (and in its own first group when the contract groups its
 * tags with `x-tagGroups`, where a tag in no group is not shown). Its route must be its own:
 * a contract tag with the same route would take the reference's addresses.
 */
function addReferenceTag(doc: Document, description: string): void {
  const tags = Array.isArray(doc.tags) ? doc.tags : [];
  const used = [...tags.map((t) => (isRecord(t) ? t.name : undefined)), ...operationTags(doc)];
  const clash = used.find((name) => typeof name === 'string' && routeOf(name) === REFERENCE_TAG);
  if (clash !== undefined) {
    throw new Error(`the tag ${JSON.stringify(clash)} has the route #/${REFERENCE_TAG}, which the error reference uses: rename the tag`);
  }
  doc.tags = [{ name: REFERENCE_TAG, 'x-displayName': 'Error reference', 'x-traitTag': true, description }, ...tags];
  if (Array.isArray(doc['x-tagGroups'])) doc['x-tagGroups'] = [{ name: 'Error reference', tags: [REFERENCE_TAG] }, ...doc['x-tagGroups']];
}

function operationTags(doc: Document): unknown[] {
  const names: unknown[] = [];
  for (const item of Object.values(isRecord(doc.paths) ? doc.paths : {})) {
    if (!isRecord(item)) continue;
    for (const op of Object.values(item)) if (isRecord(op) && Array.isArray(op.tags)) names.push(...op.tags);
  }
  return names;
}

/** The error bodies the contract's error responses show (generated per code by expand), in operation order. */
function errorExamples(model: ErrorContract, resolve: Resolve): unknown[] {
  const bodies: unknown[] = [];
  const seen = new Set<string>();
  for (const e of [...model.operations.flatMap((op) => op.errors), ...model.unrouted]) {
    if (seen.has(e.pointer)) continue;
    seen.add(e.pointer);
    const response = resolve({ $ref: `#${e.pointer}` });
    const media = isRecord(response) && isRecord(response.content) ? response.content[model.envelope.mediaType] : undefined;
    const examples = isRecord(media) && isRecord(media.examples) ? Object.values(media.examples) : [];
    for (const x of examples) if (isRecord(x) && x.value !== undefined) bodies.push(x.value);
  }
  return bodies;
}

/** Objects whose keys are names (a property called `description` is not a description). */
const MAPS = new Set(['paths', 'webhooks', 'properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'schemas', 'responses', 'parameters', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems', 'content', 'encoding', 'variables', 'mapping', 'scopes']);
/** Values that are data, shown as JSON: escaping would change them. */
const DATA = new Set(['example', 'default', 'enum', 'const']);
/**
 * The fields Redoc 3 renders as Markdown (with raw HTML), read from its source and checked in the
 * browser (test/docs/docs.test.ts visits a page with a payload in every field): every
 * `description`, `info.summary`, a response's `x-summary` and the values of a schema's
 * `x-enumDescriptions`. Other summaries, titles and names are shown as plain text (React escapes
 * them), so they are left as written, as are examples, defaults and other extensions.
 */
const MARKDOWN_FIELDS = new Set(['description', 'x-summary']);

/** Escapes every Markdown field of the copy handed to Redoc, once, with escape.ts's `markdown`. */
function escapeMarkdownFields(doc: Document): void {
  const done = new WeakSet<object>();
  const walk = (node: unknown, named: boolean) => {
    if (!node || typeof node !== 'object' || done.has(node)) return;
    done.add(node);
    if (Array.isArray(node)) return node.forEach((n) => walk(n, false));
    const object = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(object)) {
      if (named) {
        // An entry of a map: its key is a name, its value a spec object.
        walk(value, false);
        continue;
      }
      if (MARKDOWN_FIELDS.has(key) && typeof value === 'string') {
        object[key] = markdown(value);
      } else if (key === 'x-enumDescriptions' && isRecord(value)) {
        for (const [k, v] of Object.entries(value)) if (typeof v === 'string') value[k] = markdown(v);
      } else if (DATA.has(key) || key.startsWith('x-') || (key === 'examples' && Array.isArray(value))) {
        continue;
      } else if (key === 'examples') {
        for (const example of Object.values(isRecord(value) ? value : {})) escapeExample(example);
      } else {
        walk(value, MAPS.has(key) && isRecord(value));
      }
    }
  };
  /** An Example Object: its description is Markdown, its value is data. */
  const escapeExample = (example: unknown) => {
    if (!isRecord(example) || done.has(example)) return;
    done.add(example);
    if (typeof example.description === 'string') example.description = markdown(example.description);
  };
  walk(doc, false);
  const info = isRecord(doc.info) ? doc.info : undefined;
  if (info && typeof info.summary === 'string') info.summary = markdown(info.summary);
  if (info && 'x-logo' in info) info['x-logo'] = offlineLogo(info['x-logo']);
}

/**
 * `x-logo` as the offline page can show it: an inline `data:image/` URL (anything else would be
 * fetched, and a leading space slipped past a prefix check), a plain colour (a CSS value could
 * carry `url()`), a link only to http(s). Whatever does not fit is dropped; the page's CSP would
 * block it anyway.
 */
function offlineLogo(logo: unknown): unknown {
  if (!isRecord(logo)) return undefined;
  const url = typeof logo.url === 'string' && /^data:image\/(?:png|gif|jpeg|webp|svg\+xml)[;,]/i.test(logo.url) ? logo.url : undefined;
  if (!url) return undefined;
  const color = typeof logo.backgroundColor === 'string' && /^(?:#[0-9a-f]{3,8}|[a-z]{3,20})$/i.test(logo.backgroundColor) ? logo.backgroundColor : undefined;
  const href = typeof logo.href === 'string' && /^https?:\/\/[^\s"'<>]+$/i.test(logo.href) ? logo.href : undefined;
  const altText = typeof logo.altText === 'string' ? logo.altText : undefined;
  return { url, ...(altText !== undefined && { altText }), ...(color && { backgroundColor: color }), ...(href && { href }) };
}
