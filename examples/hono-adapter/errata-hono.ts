/**
 * A Hono adapter for the generated helpers, in two pieces: a middleware that opens a request scope
 * (one request id for the whole request) and adds its id to whatever response the route returns,
 * and an `onError` that turns any thrown exception into the contract's internal error. Routes
 * return a builder's result with `toResponse(result)`.
 */
import type { ErrorHandler, MiddlewareHandler } from 'hono';
import {
  addMissingHeaders,
  errata as defaultErrata,
  toResponse,
  type ErrorBodies,
  type InternalResult,
  type OperationErrorInput,
  type RequestScope,
  type ServerErrors,
} from '../../generated/server';

export type Scope = RequestScope<OperationErrorInput, ErrorBodies, InternalResult>;
export type ErrataEnv = { Variables: { errata: Scope } };
type Errata = ServerErrors<OperationErrorInput, ErrorBodies, InternalResult>;

export function errataMiddleware(errata: Errata = defaultErrata): MiddlewareHandler<ErrataEnv> {
  return async (c, next) => {
    const scope = errata.forRequest(c.req.raw);
    c.set('errata', scope);
    await next();
    // Responses built with Hono's helpers (c.json, c.text) or by hand get the request id too. A
    // Response with immutable headers (Response.redirect(), a proxied fetch()) comes back copied.
    const res = addMissingHeaders(c.res, scope.headers());
    if (res !== c.res) c.res = res;
  };
}

export function errataOnError(errata: Errata = defaultErrata): ErrorHandler<ErrataEnv> {
  return (error, c) => {
    const scope = c.get('errata') ?? errata.forRequest(c.req.raw);
    return toResponse(scope.internal(error));
  };
}
