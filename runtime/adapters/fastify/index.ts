/**
 * errata for Fastify 5.
 *
 *   const app = Fastify();
 *   useErrata(app, errata);   // request scope, request id on every reply, internal error for exceptions
 *   app.get('/v1/images/:id', route(errata, async (request, _reply, { errors }) => errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } })));
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { HttpResult } from '../../server';
import { isResult, type ErrataLike, type Returned, type ScopeLike, type ScopeOf } from '../scope';

export type FastifyHandler<E> = (request: FastifyRequest, reply: FastifyReply, scope: ScopeOf<E>) => Returned | Promise<Returned>;

const SCOPES = new WeakMap<FastifyRequest, ScopeLike>();

function scopeOf(errata: ErrataLike, request: FastifyRequest): ScopeLike {
  let scope = SCOPES.get(request);
  if (!scope) {
    scope = errata.forRequest(request.raw);
    SCOPES.set(request, scope);
  }
  return scope;
}

/** Sends a result through Fastify's reply (its serializer, hooks and logging). */
export function reply(to: FastifyReply, result: HttpResult): FastifyReply {
  to.code(result.status).headers(result.headers);
  return result.body === undefined ? to.send() : to.send(typeof result.body === 'string' ? result.body : JSON.stringify(result.body));
}

/**
 * Installs errata on the instance itself (not an encapsulated plugin, so every route sees it):
 * every reply carries the request id, and the error handler answers any exception with the
 * contract's internal error. Fastify's own validation errors (`error.validation`) are exceptions too:
 * map them to your contract's codes in a handler of your own before this one if you use schemas.
 */
export function useErrata(app: FastifyInstance, errata: ErrataLike): void {
  app.addHook('onSend', async (request, replyTo, payload) => {
    for (const [name, value] of Object.entries(scopeOf(errata, request).headers())) if (!replyTo.hasHeader(name)) replyTo.header(name, value);
    return payload;
  });
  app.setErrorHandler((error, request, replyTo) => reply(replyTo, scopeOf(errata, request).internal(error)));
}

/** A route handler that may return a builder's result (sent for it) instead of calling `reply.send`. */
export function route<E extends ErrataLike>(errata: E, handler: FastifyHandler<E>): RouteHandlerMethod {
  return async function (request, replyTo) {
    const out = await handler(request, replyTo, scopeOf(errata, request) as ScopeOf<E>);
    if (isResult(out)) return reply(replyTo, out);
    return replyTo;
  };
}
