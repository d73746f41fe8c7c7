import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerErrors } from '../../generated/server';
import * as expressAdapter from '../../runtime/adapters/express';
import * as fastifyAdapter from '../../runtime/adapters/fastify';
import * as fetchAdapter from '../../runtime/adapters/fetch';
import * as honoAdapter from '../../runtime/adapters/hono';
import * as nodeAdapter from '../../runtime/adapters/node';
import { BundledContract } from '../helpers/bundled';
import { ROOT } from '../helpers/cli';

/**
 * Every adapter over real HTTP on loopback with its real framework, on the Picora contract's
 * generated helpers: a declared error (status, request id echoed, a body the contract's own schema
 * accepts), a success built by the framework carrying the request id, and a thrown exception
 * answered with the contract's INTERNAL error without its message.
 */
const bundled = new BundledContract(JSON.parse(readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8')));
function valid(status: number, body: unknown): boolean {
  const hit = bundled.errorResponses().find((r) => r.path === '/v1/images/{id}' && r.method === 'get' && r.status === String(status))!;
  return bundled.validate(`${hit.pointer}/content/application~1json/schema`, body).valid;
}

const SECRET = 'token=abc123';
type Listen = { url: string; close(): Promise<void>; unexpected: unknown[] };

function errataFor(unexpected: unknown[]) {
  return createServerErrors({ guard: true, onUnexpected: (error) => unexpected.push(error) });
}

function listenNode(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}
const closeNode = (server: Server) => () => new Promise<void>((resolve) => server.close(() => resolve()));

const servers: Record<string, () => Promise<Listen & { nextErrors?: unknown[] }>> = {
  async node() {
    const unexpected: unknown[] = [];
    const errata = errataFor(unexpected);
    const server = createServer(
      nodeAdapter.handle(errata, (req, res, { errors, headers }) => {
        if (req.url === '/v1/images/boom') throw new Error(`provider crashed: ${SECRET}`);
        if (req.url === '/v1/images/img_1') {
          res.writeHead(200, { 'content-type': 'application/json', ...headers() });
          res.end(JSON.stringify({ success: true }));
          return;
        }
        return errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
      }),
    );
    return { url: await listenNode(server), close: closeNode(server), unexpected };
  },
  async express() {
    const unexpected: unknown[] = [];
    const nextErrors: unknown[] = [];
    const errata = errataFor(unexpected);
    const app = express();
    app.use(expressAdapter.requestScope(errata));
    app.get('/v1/images/img_1', (_req, res) => void res.json({ success: true }));
    app.get(
      '/v1/images/:id',
      expressAdapter.route(errata, async (req, _res, { errors }) => {
        if (req.params['id'] === 'boom') throw new Error(`provider crashed: ${SECRET}`);
        return errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
      }),
    );
    // The application's own error middleware sees the exception first, through next(err).
    app.use((error: unknown, _req: ExpressRequest, _res: ExpressResponse, next: NextFunction) => {
      nextErrors.push(error);
      next(error);
    });
    app.use(expressAdapter.errorHandler(errata));
    const server = createServer(app);
    return { url: await listenNode(server), close: closeNode(server), unexpected, nextErrors };
  },
  async fastify() {
    const unexpected: unknown[] = [];
    const errata = errataFor(unexpected);
    const app = Fastify();
    fastifyAdapter.useErrata(app, errata);
    app.get('/v1/images/img_1', async () => ({ success: true }));
    app.get(
      '/v1/images/:id',
      fastifyAdapter.route(errata, async (request, _reply, { errors }) => {
        if ((request.params as { id: string }).id === 'boom') throw new Error(`provider crashed: ${SECRET}`);
        return errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
      }),
    );
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close(), unexpected };
  },
  async hono() {
    const unexpected: unknown[] = [];
    const errata = errataFor(unexpected);
    const app = new Hono();
    app.use(honoAdapter.requestScope(errata));
    app.onError(honoAdapter.onError(errata));
    app.get('/v1/images/img_1', (c) => c.json({ success: true }));
    app.get(
      '/v1/images/:id',
      honoAdapter.route(errata, (c, { errors }) => {
        if (c.req.param('id') === 'boom') throw new Error(`provider crashed: ${SECRET}`);
        return errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
      }),
    );
    return listenFetch(app.fetch, unexpected);
  },
  async fetch() {
    const unexpected: unknown[] = [];
    const errata = errataFor(unexpected);
    const handler = fetchAdapter.handle(errata, (request, { errors }) => {
      const id = new URL(request.url).pathname.split('/').pop();
      if (id === 'boom') throw new Error(`provider crashed: ${SECRET}`);
      if (id === 'img_1') return Response.json({ success: true });
      return errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
    });
    return listenFetch(handler, unexpected);
  },
};

function listenFetch(fetchHandler: (request: Request) => Response | Promise<Response>, unexpected: unknown[]): Promise<Listen> {
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())), unexpected }),
    );
  });
}

for (const [name, start] of Object.entries(servers)) {
  describe(`errata/adapters/${name} over HTTP`, () => {
    let server: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server.close());

    it('answers a declared error with its status, the request id and a contract-valid body', async () => {
      const res = await fetch(`${server.url}/v1/images/img_2`, { headers: { 'x-request-id': `${name}-404` } });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe(`${name}-404`);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await res.json();
      expect(body.code).toBe('NOT_FOUND');
      expect(valid(404, body)).toBe(true);
    });

    it("puts the request id on a success the framework's own helpers built", async () => {
      const res = await fetch(`${server.url}/v1/images/img_1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{16}$/);
      expect(await res.json()).toEqual({ success: true });
    });

    it('turns a thrown exception into INTERNAL without its message, and reports it', async () => {
      const res = await fetch(`${server.url}/v1/images/boom`, { headers: { 'x-request-id': `${name}-500` } });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(text).not.toContain(SECRET);
      const body = JSON.parse(text);
      expect(body.code).toBe('INTERNAL');
      expect(valid(500, body)).toBe(true);
      expect(res.headers.get('x-request-id')).toBe(`${name}-500`);
      expect(String(server.unexpected.at(-1))).toContain(SECRET);
      if (name === 'express') expect(String(server.nextErrors?.at(-1))).toContain(SECRET);
    });
  });
}
