/**
 * errata for Express 5.
 *
 *   import express from 'express';
 *   import { errorHandler, route } from 'errata/adapters/express';
 *   import { errata } from './generated/server.js';
 *
 *   const app = express();
 *   app.get('/v1/images/:id', route(errata, async (req, _res, { errors, json }) => {
 *     const image = await images.get(req.params.id);
 *     return image ? json(200, { success: true, data: image }) : errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
 *   }));
 *   app.use(errorHandler(errata));   // last: unexpected errors become the contract's internal error
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { send } from '../../server';
import { isResult, type ErrataLike, type Returned, type ScopeLike, type ScopeOf } from '../scope';

export type ExpressHandler<E> = (req: Request, res: Response, scope: ScopeOf<E>) => Returned | Promise<Returned>;

/** Where a request's scope is kept, so the route, later middleware and the error handler share one request id. */
const SCOPES = new WeakMap<Request, ScopeLike>();

function scopeOf(errata: ErrataLike, req: Request): ScopeLike {
  let scope = SCOPES.get(req);
  if (!scope) {
    scope = errata.forRequest(req);
    SCOPES.set(req, scope);
  }
  return scope;
}

/**
 * A route handler around `handler`: it gets the request's scope, and a result it returns is sent.
 * An exception it throws (or a rejected promise) goes to `next(err)`, Express's own error path, so
 * your error middleware sees it first; `errorHandler` at the end turns it into the internal error.
 */
export function route<E extends ErrataLike>(errata: E, handler: ExpressHandler<E>): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const out = await handler(req, res, scopeOf(errata, req) as ScopeOf<E>);
      if (isResult(out)) send(res, out);
    } catch (error) {
      next(error);
    }
  };
}

/**
 * Middleware that opens the request's scope and puts its request id header on every response,
 * including those routes build with `res.json()`. Use it before routes that do not go through `route`.
 */
export function requestScope(errata: ErrataLike): RequestHandler {
  return (req, res, next) => {
    for (const [name, value] of Object.entries(scopeOf(errata, req).headers())) if (!res.hasHeader(name)) res.setHeader(name, value);
    next();
  };
}

/**
 * The last error middleware: any error that reaches it is answered with the contract's internal
 * error (nothing of the exception leaves; `onUnexpected` gets it). If the response had started,
 * Express's default handler closes the connection.
 */
export function errorHandler(errata: ErrataLike): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    send(res, scopeOf(errata, req).internal(error));
  };
}
