import { isErrorStatus } from '../model/catalog';
import { METHODS } from '../model/operations';
import { toPointer } from '../model/pointer';
import { internalResolver, isRecord, refOf, type Resolve } from '../model/resolve';
import type { Json } from './types';

/** One error response object, however many operations use it (a shared response is one site). */
export interface Site {
  /** Pointer of the response object in the analysed document (the component's, when shared). */
  pointer: string;
  /** `#/components/responses/<name>` name when shared. */
  shared?: string;
  response: Json;
  /** Status keys it is used under, and by which operations. */
  uses: { operation: string; status: string }[];
  bodies: Body[];
}

export interface Body {
  mediaType: string;
  /** The schema as written (maybe a `$ref`), its pointer, and what it resolves to. */
  raw: unknown;
  pointer: string;
  schema: unknown;
  /** Example bodies: the media type's `example`/`examples` and the schema's `examples`. */
  examples: unknown[];
}

export interface Operations {
  total: number;
  /** Every operation: its name (as `uses` give it) and pointer. */
  operations: { id: string; pointer: string }[];
  sites: Site[];
  /** Every response (success too) of every operation, for the request-id header. */
  responses: Json[];
  resolve: Resolve;
}

export function collectSites(document: Json): Operations {
  const resolve = internalResolver(document);
  const sites = new Map<string, Site>();
  const responses: Json[] = [];
  let total = 0;
  const operations: { id: string; pointer: string }[] = [];
  const paths = resolve(document.paths);
  for (const [path, rawItem] of Object.entries(isRecord(paths) ? paths : {})) {
    const item = resolve(rawItem);
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const op = resolve(item[method]);
      if (!isRecord(op)) continue;
      total++;
      const operation = typeof op.operationId === 'string' ? op.operationId : `${method} ${path}`;
      // A path item or operation behind a `$ref` is edited where it is written.
      const base = finalRef(op === item[method] ? undefined : item[method], resolve) ?? `${finalRef(rawItem, resolve) ?? toPointer(['paths', path])}/${method}`;
      operations.push({ id: operation, pointer: base });
      const rs = resolve(op.responses);
      for (const [status, raw] of Object.entries(isRecord(rs) ? rs : {})) {
        const response = resolve(raw);
        if (!isRecord(response)) continue;
        responses.push(response);
        if (!isErrorStatus(status)) continue;
        const ref = finalRef(raw, resolve);
        const pointer = ref ?? `${finalRef(op.responses, resolve) ?? `${base}/responses`}${toPointer([status])}`;
        let site = sites.get(pointer);
        if (!site) {
          const shared = ref && /^\/components\/responses\/([^/]+)$/.exec(ref)?.[1];
          site = { pointer, ...(shared ? { shared: decodeURIComponent(shared.replace(/~1/g, '/').replace(/~0/g, '~')) } : {}), response, uses: [], bodies: bodiesOf(response, pointer, resolve) };
          sites.set(pointer, site);
        }
        site.uses.push({ operation, status });
      }
    }
  }
  return { total, operations, sites: [...sites.values()], responses, resolve };
}

/** The pointer a `$ref` chain ends at, or undefined for an inline node. */
export function finalRef(node: unknown, resolve: Resolve): string | undefined {
  let ref: string | undefined;
  let at = node;
  for (let hops = 0; hops < 32; hops++) {
    const r = refOf(at);
    if (r === undefined || !r.startsWith('#')) break;
    ref = r.slice(1);
    at = resolve({ $ref: r });
  }
  return ref;
}

function bodiesOf(response: Json, pointer: string, resolve: Resolve): Body[] {
  const content = resolve(response.content);
  if (!isRecord(content)) return [];
  return Object.entries(content).flatMap(([mediaType, rawMedia]) => {
    const media = resolve(rawMedia);
    if (!isRecord(media)) return [];
    const schema = resolve(media.schema);
    const examples: unknown[] = [];
    if (media.example !== undefined) examples.push(media.example);
    const named = resolve(media.examples);
    if (isRecord(named)) for (const ex of Object.values(named)) {
      const e = resolve(ex);
      if (isRecord(e) && e.value !== undefined) examples.push(e.value);
    }
    if (isRecord(schema)) {
      if (Array.isArray(schema.examples)) examples.push(...schema.examples);
      else if (schema.example !== undefined) examples.push(schema.example);
    }
    return [{ mediaType, raw: media.schema, pointer: `${pointer}/content/${mediaType.replace(/~/g, '~0').replace(/\//g, '~1')}/schema`, schema, examples }];
  });
}

export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json\b/i.test(mediaType) || mediaType === '*/*';
}
