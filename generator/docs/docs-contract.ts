import type { Document } from '../load/load-contract';
import { markdown } from '../model/escape';
import { internalResolver, isRecord, type Resolve } from '../model/resolve';
import type { ErrorContract } from '../model/types';
import { render } from '../emit/render';
import { operationErrorsView, referenceView } from './reference-view';

/**
 * The contract Redoc renders: the expanded contract plus the error reference appended to
 * `info.description` (Redoc turns its headings into sidebar sections) and a "Possible errors"
 * table appended to each operation's description, each code linking to `#error-CODE`.
 * https://redocly.com/docs/redoc/markdown
 */
export function docsContract(model: ErrorContract, bundled: Document): Document {
  // The reference is built from the contract as written (views escape what they read, once);
  // only the copy handed to Redoc has its own descriptions escaped.
  const source = internalResolver(bundled);
  const reference = render('docs/error-reference.md', referenceView(model, firstExample(model, source), source));
  const doc = structuredClone(bundled);
  // First the contract's own Markdown, so that what is appended below is escaped exactly once.
  escapeDescriptions(doc);
  const resolve = internalResolver(doc);
  const info = isRecord(doc.info) ? doc.info : (doc.info = {});
  info.description = [info.description, reference].filter((part) => typeof part === 'string' && part !== '').join('\n\n');

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

/** An example error body for the envelope section: the first generated example in the contract. */
function firstExample(model: ErrorContract, resolve: Resolve): unknown {
  for (const op of model.operations) {
    for (const e of op.errors) {
      const response = resolve({ $ref: `#${e.pointer}` });
      const media = isRecord(response) && isRecord(response.content) ? response.content[model.envelope.mediaType] : undefined;
      const examples = isRecord(media) && isRecord(media.examples) ? Object.values(media.examples) : [];
      const first = examples.find((x) => isRecord(x) && x.value !== undefined);
      if (isRecord(first)) return first.value;
    }
  }
  return {};
}

/** Objects whose keys are names (a property called `description` is not a description). */
const MAPS = new Set(['paths', 'webhooks', 'properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'schemas', 'responses', 'parameters', 'requestBodies', 'headers', 'securitySchemes', 'links', 'callbacks', 'pathItems', 'content', 'encoding', 'variables', 'mapping', 'scopes']);
/** Values that are data, shown as JSON: escaping would change them. */
const DATA = new Set(['example', 'default', 'enum', 'const']);

/**
 * Every `description` reaches Redoc's Markdown renderer, which passes raw HTML through; it is
 * neutralised by escape.ts like every spec string. Summaries, titles and names are shown as plain
 * text (React escapes them), so they are left as written, as are examples, defaults and extensions.
 */
function escapeDescriptions(doc: Document): void {
  const done = new WeakSet<object>();
  const walk = (node: unknown, named: boolean) => {
    if (!node || typeof node !== 'object' || done.has(node)) return;
    done.add(node);
    if (Array.isArray(node)) return node.forEach((n) => walk(n, false));
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (named) {
        // An entry of a map: its key is a name, its value a spec object.
        walk(value, false);
        continue;
      }
      if (key === 'description' && typeof value === 'string') {
        (node as Record<string, unknown>)[key] = markdown(value);
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
}
