import { isRecord } from '../model/resolve';
import { getAt, parsePointer, toPointer } from '../model/pointer';
import type { CatalogCode, ErrorContract, Operation } from '../model/types';
import type { OperationView, Reach, Side } from './types';

/** `4xx` and `4XX` are the same key (OpenAPI allows either case); `default` stays as is. */
export function normaliseKey(key: string): string {
  return key.toUpperCase() === 'DEFAULT' ? 'default' : key.toUpperCase();
}

/**
 * The status key a client resolves an HTTP status to: exact, then range, then `default`
 * (https://spec.openapis.org/oas/v3.1.0#responses-object), as errata's client and server do.
 */
export function resolveKey(keys: ReadonlyMap<string, unknown>, status: number): string | undefined {
  const exact = String(status);
  if (keys.has(exact)) return exact;
  const range = `${Math.floor(status / 100)}XX`;
  if (keys.has(range)) return range;
  return keys.has('default') ? 'default' : undefined;
}

/** Operations are the same across versions when method and path template match (parameter names may change). */
export function operationKey(op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method} ${op.path.replace(/\{[^}]*\}/g, '{}')}`;
}

/**
 * Every operation of a side, plus the errors no operation owns as one pseudo-operation, with
 * each code placed where a client meets it: under each HTTP status the catalog allows it, at the
 * key that status resolves to. A code listed under a key that precedence never reaches for its
 * status (a `4XX` entry shadowed by an exact `404`) is not met there, so it does not count.
 */
export function operationViews(side: Side): Map<string, OperationView> {
  const byCode = new Map(side.model.codes.map((c) => [c.code, c]));
  const views = new Map<string, OperationView>();
  for (const op of [...side.model.operations, unroutedOperation(side.model)]) {
    views.set(operationKey(op), view(op, byCode, side.document));
  }
  return views;
}

export const UNROUTED_ID = '(any request)';

function unroutedOperation(model: ErrorContract): Operation {
  return { id: UNROUTED_ID, method: '*', path: '*', tags: [], deprecated: false, authenticated: false, pointer: '/x-errata/unrouted', errors: model.unrouted ?? [], successStatuses: [] };
}

function view(op: Operation, byCode: ReadonlyMap<string, CatalogCode>, document: Record<string, unknown>): OperationView {
  const responses = new Map(op.errors.map((e) => [normaliseKey(e.status), e]));
  // The unrouted errors have no operation object: their responses are where they are written.
  const keys = new Map(op.errors.map((e) => [normaliseKey(e.status), op.id === UNROUTED_ID ? e.pointer : `${op.pointer}${toPointer(['responses', e.status])}`]));
  const codes = new Map<string, Reach>();
  for (const [key, response] of responses) {
    const raw = getAt(document, parsePointer(response.pointer));
    const listed = isRecord(raw) && Array.isArray(raw['x-errata-codes']) ? (raw['x-errata-codes'] as unknown[]) : [];
    for (const code of response.codes) {
      const index = listed.indexOf(code);
      const pointer = index >= 0 ? `${response.pointer}/x-errata-codes/${index}` : response.pointer;
      for (const status of byCode.get(code)?.statuses ?? []) {
        if (resolveKey(responses, status) !== key) continue;
        let reach = codes.get(code);
        if (!reach) codes.set(code, (reach = { statuses: new Map() }));
        reach.statuses.set(status, { key, pointer });
      }
    }
  }
  return { op, responses, keys, codes };
}
