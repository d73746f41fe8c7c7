/**
 * A Hono adapter for the generated helpers, in three pieces: a middleware that opens a request
 * scope (one request id for the whole request), `reply` to turn a result into Hono's response,
 * and an `onError` that turns any thrown exception into the contract's internal error.
 */
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { errata as defaultErrata, toResponse, type ErrorBodies, type HttpResult, type OperationErrorInput, type RequestScope, type ServerErrors } from '../../generated/server';

export type Scope = RequestScope<OperationErrorInput, ErrorBodies>;
export type ErrataEnv = { Variables: { errata: Scope } };

export function errataMiddleware(errata: ServerErrors<OperationErrorInput, ErrorBodies> = defaultErrata): MiddlewareHandler<ErrataEnv> {
  return async (c, next) => {
    const scope = errata.forRequest(c.req.raw);
    c.set('errata', scope);
    await next();
    // Responses built with Hono's own helpers (c.json, c.text) get the request id too.
    for (const [name, value] of Object.entries(scope.headers())) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  };
}

/** Sends a result (an error from a builder, or `scope.json(...)`) as the handler's response. */
export function reply(_c: Context<ErrataEnv>, result: HttpResult): Response {
  return toResponse(result);
}

export function errataOnError(errata: ServerErrors<OperationErrorInput, ErrorBodies> = defaultErrata): ErrorHandler<ErrataEnv> {
  return (error, c) => {
    const scope = c.get('errata') ?? errata.forRequest(c.req.raw);
    return toResponse(scope.internal(error));
  };
}
