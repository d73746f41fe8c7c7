import type { Document } from '../load/load-contract';
import { markdown } from '../model/escape';
import { toPointer } from '../model/pointer';
import { internalResolver, isRecord } from '../model/resolve';
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
  const doc = structuredClone(bundled);
  const resolve = internalResolver(doc);
  const info = isRecord(doc.info) ? doc.info : (doc.info = {});
  const example = firstExample(doc, model);
  const reference = render('docs/error-reference.md', referenceView(model, example, resolve));
  // The contract's own description is Markdown already; it is escaped like every other spec string.
  const intro = typeof info.description === 'string' ? `${markdown(info.description)}\n\n` : '';
  info.description = intro + reference;

  const codes = new Map(model.codes.map((c) => [c.code, c]));
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  for (const op of model.operations) {
    const view = operationErrorsView(op, codes);
    const item = resolve(paths[op.path]);
    const target = isRecord(item) ? resolve(item[op.method]) : undefined;
    if (!isRecord(target)) continue;
    const own = typeof target.description === 'string' ? markdown(target.description) : '';
    target.description = own + (view.rows.length ? render('docs/operation-errors.md', view) : '');
  }
  escapeOtherDescriptions(doc);
  return doc;
}

/** An example error body for the envelope section: the first generated example in the contract. */
function firstExample(doc: Document, model: ErrorContract): unknown {
  const resolve = internalResolver(doc);
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

/**
 * Every other description and summary in the contract reaches Redoc's Markdown renderer too; their
 * raw HTML is neutralised the same way (Redoc's own sanitizer is a second line of defence).
 */
function escapeOtherDescriptions(doc: Document): void {
  const done = new WeakSet<object>();
  const walk = (node: unknown, path: (string | number)[]) => {
    if (!node || typeof node !== 'object' || done.has(node)) return;
    done.add(node);
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, [...path, i]));
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      const here = [...path, key];
      if ((key === 'description' || key === 'summary' || key === 'title') && typeof value === 'string' && !isOwn(here)) {
        record[key] = markdown(value);
      } else walk(value, here);
    }
  };
  walk(doc, []);
}

/** Descriptions docsContract wrote itself (already escaped piece by piece). */
function isOwn(path: (string | number)[]): boolean {
  const pointer = toPointer(path);
  return pointer === '/info/description' || /^\/paths\/[^/]+\/(get|put|post|delete|options|head|patch|trace)\/description$/.test(pointer);
}
