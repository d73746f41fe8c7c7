import type { Problem } from '../errors';
import type { Document } from '../load/load-contract';
import { isErrorStatus, statusAdmits } from './catalog';
import { identifier } from './names';
import { toPointer } from './pointer';
import { isRecord, refOf, type Resolve } from './resolve';
import type { CatalogCode, ErrorResponse, Operation } from './types';

/** https://spec.openapis.org/oas/v3.1.0#path-item-object */
export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Every operation with, per error status, the codes it declares (`x-errata-codes`).
 * https://spec.openapis.org/oas/v3.1.0#responses-object
 * A shared response is checked once, at its component, however many operations use it.
 */
export function readOperations(document: Document, codes: ReadonlyMap<string, CatalogCode>, resolve: Resolve): { operations: Operation[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const checked = new Set<string>();
  const operations: Operation[] = [];
  const ids = new Map<string, string>();
  const paths = resolve(document.paths);
  if (!isRecord(paths)) return { operations, problems };
  const rootSecurity = document.security;

  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(rawItem);
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const op = resolve(item[method]);
      if (!isRecord(op)) continue;
      const pointer = toPointer(['paths', path, method]);
      const operationId = typeof op.operationId === 'string' ? op.operationId : undefined;
      const id = operationId ?? `${method} ${path}`;
      const ident = identifier(id);
      const clash = ids.get(ident);
      if (clash !== undefined) {
        problems.push({ pointer: `${pointer}/operationId`, message: `operation ${JSON.stringify(id)} and ${JSON.stringify(clash)} both become the name ${ident} in generated code`, fix: 'give the operations distinct operationIds' });
      }
      ids.set(ident, id);

      const errors: ErrorResponse[] = [];
      const successStatuses: string[] = [];
      const responses = resolve(op.responses);
      for (const [status, rawResponse] of Object.entries(isRecord(responses) ? responses : {})) {
        if (!isErrorStatus(status)) {
          successStatuses.push(status);
          continue;
        }
        const ref = refOf(rawResponse);
        const shared = ref && /^#\/components\/responses\/([^/]+)$/.exec(ref)?.[1];
        const responsePointer = ref?.startsWith('#') ? ref.slice(1) : toPointer(['paths', path, method, 'responses', status]);
        const response = resolve(rawResponse);
        if (!isRecord(response)) continue;
        const declared = response['x-errata-codes'];
        const list = Array.isArray(declared) ? declared.filter((c): c is string => typeof c === 'string') : [];
        const key = `${responsePointer} ${status}`;
        if (!checked.has(key)) {
          checked.add(key);
          problems.push(...checkCodes(declared, responsePointer, status, codes));
        }
        const headers = resolve(response.headers);
        errors.push({
          status,
          codes: [...new Set(list.filter((c) => codes.get(c) && statusAdmits(status, codes.get(c)!.statuses)))],
          headers: isRecord(headers) ? Object.keys(headers).map((h) => h.toLowerCase()) : [],
          pointer: responsePointer,
          ...(shared ? { sharedName: shared } : {}),
        });
      }
      const security = op.security ?? rootSecurity;
      operations.push({
        id,
        ...(operationId ? { operationId } : {}),
        method,
        path,
        ...(typeof op.summary === 'string' ? { summary: op.summary } : {}),
        ...(typeof op.description === 'string' ? { description: op.description } : {}),
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        deprecated: op.deprecated === true,
        authenticated: Array.isArray(security) && security.length > 0 && security.every((s) => isRecord(s) && Object.keys(s).length > 0),
        pointer,
        errors,
        successStatuses,
      });
    }
  }
  return { operations, problems };
}

function checkCodes(declared: unknown, responsePointer: string, status: string, codes: ReadonlyMap<string, CatalogCode>): Problem[] {
  if (declared === undefined) return [];
  const at = `${responsePointer}/x-errata-codes`;
  if (!Array.isArray(declared)) {
    return [{ pointer: at, message: '`x-errata-codes` must be a list of error codes', fix: 'write `x-errata-codes: [NOT_FOUND]`' }];
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  declared.forEach((code, i) => {
    const pointer = `${at}/${i}`;
    if (typeof code !== 'string') {
      problems.push({ pointer, message: `${JSON.stringify(code)} is not an error code`, fix: 'list code names as strings' });
      return;
    }
    if (seen.has(code)) problems.push({ pointer, message: `${code} is listed twice under ${status}`, fix: 'list each code once' });
    seen.add(code);
    const entry = codes.get(code);
    if (!entry) {
      const near = [...codes.keys()].filter((k) => similar(k, code)).slice(0, 3);
      problems.push({
        pointer,
        message: `unknown error code ${JSON.stringify(code)}: it is not in the catalog`,
        fix: near.length ? `did you mean ${near.join(' or ')}? Otherwise add it to the catalog's \`codes\`` : "add it to the catalog's `codes`, or remove it from this response",
      });
    } else if (!statusAdmits(status, entry.statuses)) {
      problems.push({
        pointer,
        message: `${code} is declared under status ${status}, but the catalog allows it only under ${entry.statuses.join(', ')}`,
        fix: `move it to a ${entry.statuses.join(' or ')} response, or add ${status} to its \`status\` in the catalog`,
      });
    }
  });
  return problems;
}

function similar(a: string, b: string): boolean {
  if (a.includes(b) || b.includes(a)) return true;
  const words = new Set(a.split('_'));
  return b.split('_').filter((w) => words.has(w)).length >= Math.max(1, Math.min(a.split('_').length, b.split('_').length) - 1);
}
