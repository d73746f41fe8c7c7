/**
 * errata for Hono: a middleware that opens the request scope and adds its request id to whatever
 * response the route returns, an `onError` that turns any exception into the contract's internal
 * error, and `route` for handlers that return a builder's result.
 *
 *   const app = new Hono();
 *   app.use(requestScope(errata));
 *   app.onError(onError(errata));
 *   app.get('/v1/images/:id', route(errata, (c, { errors }) => errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } })));
 */
import type { Context, ErrorHandler, Handler, MiddlewareHandler } from 'hono';
import { addMissingHeaders, toResponse, type HttpResult } from '../../server';
import type { ErrataLike, ScopeLike, ScopeOf } from '../scope';

export type HonoHandler<E> = (c: Context, scope: ScopeOf<E>) => Response | HttpResult | Promise<Response | HttpResult>;

/** Keyed by the raw Request: the scope is found again without typing Hono's context variables. */
const SCOPES = new WeakMap<Request, ScopeLike>();

function scopeOf(errata: ErrataLike, c: Context): ScopeLike {
  let scope = SCOPES.get(c.req.raw);
  if (!scope) {
    scope = errata.forRequest(c.req.raw);
    SCOPES.set(c.req.raw, scope);
  }
  return scope;
}

export function requestScope(errata: ErrataLike): MiddlewareHandler {
  return async (c, next) => {
    const scope = scopeOf(errata, c);
    await next();
    // Hono's own helpers (c.json, c.redirect) build responses without the request id.
    const res = addMissingHeaders(c.res, scope.headers());
    if (res !== c.res) c.res = res;
  };
}

export function onError(errata: ErrataLike): ErrorHandler {
  return (error, c) => toResponse(scopeOf(errata, c).internal(error));
}

/** A route handler that may return a builder's result; thrown exceptions reach `onError`. */
export function route<E extends ErrataLike>(errata: E, handler: HonoHandler<E>): Handler {
  return async (c) => {
    const out = await handler(c, scopeOf(errata, c) as ScopeOf<E>);
    return out instanceof Response ? out : toResponse(out);
  };
}
