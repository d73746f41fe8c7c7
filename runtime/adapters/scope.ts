/**
 * What every adapter needs of a generated `errata` (`createServerErrors()` in generated/server.ts):
 * a request scope per request. Structural on purpose: each generated folder carries its own copy
 * of the runtime, and its `errata` fits these types without importing errata.
 */
import type { HttpResult, RequestLike } from '../server';

/** The part of a request scope adapters use; the handler gets the whole scope, typed by the contract. */
export interface ScopeLike {
  readonly requestId: string;
  /** The request id header (when the envelope has one), for responses the framework builds. */
  headers(extra?: Record<string, string>): Record<string, string>;
  /** The contract's internal error for an unexpected exception; nothing of the exception leaves. */
  internal(error?: unknown): HttpResult;
}

export interface ErrataLike<Scope extends ScopeLike = ScopeLike> {
  forRequest(request?: RequestLike): Scope;
}

/** The scope type of an `errata` object: what a handler's `scope` parameter is inferred as. */
export type ScopeOf<E> = E extends { forRequest(request?: never): infer S } ? S : never;

/** A handler may return a result (sent for it) or nothing (it answered itself). */
export type Returned = HttpResult | void | undefined;

export function isResult(value: unknown): value is HttpResult {
  return typeof value === 'object' && value !== null && typeof (value as HttpResult).status === 'number' && typeof (value as HttpResult).headers === 'object';
}
