import type { IncomingMessage } from 'node:http';
import type { Request as ExpressRequest } from 'express';
import type { FastifyRequest } from 'fastify';
import type { Context } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import { errata, type RequestScope, type ErrorBodies, type InternalResult, type OperationErrorInput, type UnroutedErrorInput } from '../../generated/server';
import { route as expressRoute } from '../../runtime/adapters/express';
import { route as fastifyRoute } from '../../runtime/adapters/fastify';
import { handle as fetchHandle } from '../../runtime/adapters/fetch';
import { route as honoRoute } from '../../runtime/adapters/hono';
import { handle as nodeHandle } from '../../runtime/adapters/node';

/** Every adapter infers the handler's parameters from the generated `errata`: no annotations. */
type Scope = RequestScope<OperationErrorInput, ErrorBodies, InternalResult, UnroutedErrorInput>;

describe('adapter handlers are typed by the contract without annotations', () => {
  it('node', () => {
    nodeHandle(errata, (req, _res, scope) => {
      expectTypeOf(req).toEqualTypeOf<IncomingMessage>();
      expectTypeOf(scope).toEqualTypeOf<Scope>();
      // @ts-expect-error getImage does not declare PAYLOAD_TOO_LARGE
      scope.errors.getImage({ code: 'PAYLOAD_TOO_LARGE' });
      return scope.errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
    });
  });
  it('express', () => {
    expressRoute(errata, (req, _res, { errors }) => {
      expectTypeOf(req).toEqualTypeOf<ExpressRequest>();
      // @ts-expect-error RATE_LIMITED requires its meta
      errors.getImage({ code: 'RATE_LIMITED', retryAfter: 1 });
      return errors.getImage({ code: 'FORBIDDEN' });
    });
  });
  it('fastify', () => {
    fastifyRoute(errata, async (request, _reply, scope) => {
      expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
      expectTypeOf(scope).toEqualTypeOf<Scope>();
      // @ts-expect-error RATE_LIMITED requires retryAfter
      return scope.errors.getImage({ code: 'RATE_LIMITED' });
    });
  });
  it('hono', () => {
    honoRoute(errata, (c, scope) => {
      expectTypeOf(c).toEqualTypeOf<Context>();
      expectTypeOf(scope).toEqualTypeOf<Scope>();
      return scope.errors.getImage({ code: 'UNAUTHORIZED' });
    });
  });
  it('fetch', () => {
    fetchHandle(errata, (request, scope) => {
      expectTypeOf(request).toEqualTypeOf<Request>();
      expectTypeOf(scope).toEqualTypeOf<Scope>();
      // @ts-expect-error getImage does not declare PAYLOAD_TOO_LARGE
      scope.errors.getImage({ code: 'PAYLOAD_TOO_LARGE' });
      return new Response(null, { status: 204 });
    });
  });
});
