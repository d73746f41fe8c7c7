import type { Problem } from '../errors';
import { CODE_PATTERN, pascalCase } from './names';
import { toPointer } from './pointer';
import { isRecord, type Resolve } from './resolve';
import type { CatalogCode, Category, JsonSchema, RetryPolicy, StatusMeaning } from './types';

/**
 * The error catalog (`x-errata.catalog`): statuses, categories and codes, each code defined once.
 * Pure: problems come back with pointers under `base`, so the generator and the lint rules share it.
 */
export interface Catalog {
  statuses: StatusMeaning[];
  categories: Category[];
  codes: CatalogCode[];
}

const RETRY: readonly RetryPolicy[] = ['none', 'backoff', 'after'];
const IMPLICIT_CATEGORY: Category = { id: 'errors', title: 'Errors' };

/**
 * `written`: every key under `codes`, valid or not. A code the catalog writes but rejects is
 * reported once, at its entry, not again as "unknown" wherever it is listed.
 */
export function readCatalog(raw: unknown, base: string, resolve: Resolve, metaRequiredByEnvelope = false): { catalog: Catalog; problems: Problem[]; written: Set<string> } {
  const problems: Problem[] = [];
  const problem = (tokens: (string | number)[], message: string, fix: string) =>
    problems.push({ pointer: base + toPointer(tokens), message, fix });
  const catalog: Catalog = { statuses: [], categories: [], codes: [] };
  const written = new Set<string>();
  const node = resolve(raw);
  if (!isRecord(node)) {
    problem([], 'the catalog must be an object with `codes` (and optionally `categories`, `statuses`)', 'point `x-errata.catalog` at a catalog file, e.g. `{ $ref: ./errors/catalog.yaml }`');
    return { catalog, problems, written };
  }

  const statuses = resolve(node.statuses);
  if (isRecord(statuses)) {
    for (const [key, meaning] of Object.entries(statuses)) {
      const status = Number(key);
      if (!isHttpStatus(status) || typeof meaning !== 'string') {
        problem(['statuses', key], `status overview entry ${JSON.stringify(key)} must map an HTTP status (100-599) to a text`, 'write it as `404: Not Found — resource does not exist`');
      } else catalog.statuses.push({ status, meaning });
    }
    catalog.statuses.sort((a, b) => a.status - b.status);
  }

  const categories = resolve(node.categories);
  if (Array.isArray(categories)) {
    categories.forEach((c, i) => {
      const cat = resolve(c);
      if (!isRecord(cat) || typeof cat.id !== 'string' || typeof cat.title !== 'string') {
        problem(['categories', i], 'a category needs a string `id` and `title`', 'write `- { id: validation, title: Validation errors }`');
      } else if (catalog.categories.some((k) => k.id === cat.id)) {
        problem(['categories', i, 'id'], `category ${JSON.stringify(cat.id)} is defined twice`, 'keep one definition per category id');
      } else {
        catalog.categories.push({ id: cat.id, title: cat.title, ...(typeof cat.description === 'string' ? { description: cat.description } : {}) });
      }
    });
  }

  const codes = resolve(node.codes);
  if (!isRecord(codes) || Object.keys(codes).length === 0) {
    problem(['codes'], 'the catalog has no `codes`', 'add `codes:` mapping each error code to its status, category, description and fix');
    return { catalog, problems, written };
  }
  const schemaNames = new Map<string, string>();
  for (const code of Object.keys(codes)) written.add(code);
  for (const [code, rawEntry] of Object.entries(codes)) {
    const at = (...t: (string | number)[]) => ['codes', code, ...t];
    const entry = resolve(rawEntry);
    if (!CODE_PATTERN.test(code)) {
      problem(at(), `error code ${JSON.stringify(code)} is not UPPER_SNAKE_CASE`, `rename it to match ${CODE_PATTERN.source}, e.g. ${JSON.stringify(code.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'SOME_CODE')}`);
      continue;
    }
    if (!isRecord(entry)) {
      problem(at(), `catalog entry for ${code} must be an object`, 'give it at least `status`, `description` and `fix`');
      continue;
    }
    const statusList = Array.isArray(entry.status) ? entry.status : [entry.status];
    const statuses = statusList.map(Number);
    if (statuses.length === 0 || !statuses.every((s) => isHttpStatus(s) && s >= 400)) {
      problem(at('status'), `${code} needs an error status (400-599) or a list of them, got ${JSON.stringify(entry.status ?? null)}`, 'write `status: 404`, or `status: [413, 422]` when the code is used under two');
      continue;
    }
    if (new Set(statuses).size !== statuses.length) problem(at('status'), `${code} lists a status twice`, 'list each status once');

    let category = typeof entry.category === 'string' ? entry.category : undefined;
    if (catalog.categories.length === 0 && category === undefined) category = IMPLICIT_CATEGORY.id;
    if (category === undefined || !(catalog.categories.some((c) => c.id === category) || (category === IMPLICIT_CATEGORY.id && catalog.categories.length === 0))) {
      problem(at('category'), `${code} names category ${JSON.stringify(entry.category ?? null)}, which is not in \`categories\``, `use one of: ${catalog.categories.map((c) => c.id).join(', ') || '(none declared)'}, or declare it under \`categories\``);
      continue;
    }

    const retry = (entry.retry ?? 'none') as RetryPolicy;
    if (!RETRY.includes(retry)) {
      problem(at('retry'), `${code} has retry ${JSON.stringify(entry.retry)}`, 'use `none`, `backoff` (retry with exponential backoff) or `after` (honour the Retry-After header)');
      continue;
    }

    const meta = entry.meta as JsonSchema | undefined;
    if (meta !== undefined && !isObjectSchema(resolve(meta), resolve)) {
      problem(at('meta'), `the meta schema of ${code} is not an object schema`, 'meta is a set of named fields: give it `type: object` and `properties`');
      continue;
    }

    // VALIDATION_ERROR becomes ValidationError, not ValidationErrorError.
    const schemaName = `${pascalCase(code).replace(/Error$/, '')}Error`;
    const clash = schemaNames.get(schemaName);
    if (clash) {
      problem(at(), `${code} and ${clash} both map to the schema name ${schemaName}`, 'rename one of the two codes');
      continue;
    }
    schemaNames.set(schemaName, code);
    for (const key of ['description', 'fix', 'message', 'type'] as const) {
      if (entry[key] !== undefined && typeof entry[key] !== 'string') problem(at(key), `${code}.${key} must be a string`, 'write it as text (Markdown allowed)');
    }
    const resolvedMeta = meta === undefined ? undefined : resolve(meta);
    const required = isRecord(resolvedMeta) && Array.isArray(resolvedMeta.required) && resolvedMeta.required.length > 0;
    catalog.codes.push({
      code,
      statuses: [...new Set(statuses)].sort((a, b) => a - b),
      category,
      description: typeof entry.description === 'string' ? entry.description : '',
      ...(typeof entry.message === 'string' ? { message: entry.message } : {}),
      ...(typeof entry.type === 'string' ? { type: entry.type } : {}),
      fix: typeof entry.fix === 'string' ? entry.fix : '',
      retry,
      ...(entry.since !== undefined ? { since: String(entry.since) } : {}),
      ...(typeof entry.notes === 'string' ? { notes: entry.notes } : {}),
      deprecated: entry.deprecated === true,
      ...(meta !== undefined ? { meta } : {}),
      metaRequired: meta !== undefined && (required || metaRequiredByEnvelope),
      ...(entry.example !== undefined ? { example: entry.example } : {}),
      schemaName,
      pointer: base + toPointer(at()),
    });
  }
  if (catalog.categories.length === 0) catalog.categories.push(IMPLICIT_CATEGORY);
  const order = new Map(catalog.categories.map((c, i) => [c.id, i]));
  catalog.codes.sort((a, b) => order.get(a.category)! - order.get(b.category)!);
  return { catalog, problems, written };
}

/** Whether `status` (a response key: `404`, `4XX`, `default`) admits a code with these statuses. */
export function statusAdmits(status: string, codeStatuses: readonly number[]): boolean {
  if (status === 'default') return true;
  const range = /^([1-5])XX$/i.exec(status);
  if (range) return codeStatuses.some((s) => Math.floor(s / 100) === Number(range[1]));
  return codeStatuses.includes(Number(status));
}

export function isErrorStatus(status: string): boolean {
  return status === 'default' || /^[45]/.test(status);
}

function isHttpStatus(n: number): boolean {
  return Number.isInteger(n) && n >= 100 && n <= 599;
}

function isObjectSchema(schema: unknown, resolve: Resolve): boolean {
  if (!isRecord(schema)) return false;
  if (schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'))) return true;
  if (schema.type === undefined && isRecord(schema.properties)) return true;
  const parts = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  return schema.type === undefined && Array.isArray(parts) && parts.length > 0 && parts.every((p) => isObjectSchema(resolve(p), resolve));
}
