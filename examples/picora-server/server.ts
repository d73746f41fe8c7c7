/**
 * An example Picora server on node:http, built only with the generated helpers
 * (`generated/server.ts`): every error it sends comes from the builder of the operation that
 * handles the request, or, for a request no operation matches, from the unrouted builder
 * (`x-errata.unrouted`), so it cannot send a code, status or meta the contract does not declare.
 * It implements every operation of the contract; the routes live in `routes/`, one file per area.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerErrors, type ErrorBodies, type ErrorResult, type OperationErrorInput, type ServerErrors, type UnroutedErrorInput } from '../../generated/server';
import { pathSegment, RateLimiter } from './edge';
import { accountRoutes } from './routes/account';
import { adminRoutes } from './routes/admin';
import type { App, Route } from './routes/app';
import { docRoutes } from './routes/docs';
import { imageRoutes } from './routes/images';
import { mediaRoutes } from './routes/media';
import { oauthRoutes } from './routes/oauth';
import { State, type Plan } from './state';

export { demo } from './state';

export interface PicoraServerOptions {
  port?: number;
  host?: string;
  /** Requests per window per caller. Default 120 per minute. */
  rateLimit?: { limit: number; windowMs: number };
  /** OAuth dynamic client registrations per window per client address. Default 10 per hour. */
  registrationLimit?: { limit: number; windowMs: number };
  /** The plans' limits (tests shrink them). */
  plan?: Partial<Plan>;
  /** Endpoint hard limits, bytes: an upload body above `uploadBytes` is 413 FILE_TOO_LARGE. */
  limits?: { uploadBytes?: number; jsonBytes?: number };
  /** `cn` screens uploads with content safety (451 COMPLIANCE_BLOCKED). Default `global`. */
  platform?: 'global' | 'cn';
  /**
   * Called with the operation id before its handler runs. Lets tests make a handler fail
   * unexpectedly, to see the internal error a client gets.
   */
  beforeHandler?: (operationId: string) => void;
  /** Where unexpected exceptions are reported. Default: console.error. */
  onUnexpected?: (error: unknown, info: { requestId: string }) => void;
}

export interface PicoraServer {
  url: string;
  close(): Promise<void>;
  state: State;
}

export function createPicoraHandler(options: PicoraServerOptions = {}): { handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>; state: State } {
  const app: App = {
    state: new State(options.plan),
    limiter: new RateLimiter(options.rateLimit?.limit ?? 120, options.rateLimit?.windowMs ?? 60_000),
    registrationLimiter: new RateLimiter(options.registrationLimit?.limit ?? 10, options.registrationLimit?.windowMs ?? 3_600_000),
    uploadLimit: options.limits?.uploadBytes ?? 128 * 1024,
    jsonLimit: options.limits?.jsonBytes ?? 32 * 1024,
    platform: options.platform ?? 'global',
  };
  const errata: ServerErrors<OperationErrorInput, ErrorBodies, ErrorResult, UnroutedErrorInput> = createServerErrors({
    guard: true,
    // Every 401 carries a challenge (the contract declares WWW-Authenticate); OAuth routes pass their own.
    challenge: 'Bearer realm="picora"',
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
  });
  const routes: Route[] = [...accountRoutes(app), ...imageRoutes(app), ...mediaRoutes(app), ...docRoutes(app), ...oauthRoutes(app), ...adminRoutes(app)];

  const handler = errata.node(async (req: IncomingMessage, _res: ServerResponse, scope) => {
    let url: URL | undefined;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = undefined;
    }
    for (const route of url ? routes : []) {
      const m = route.pattern.exec(url!.pathname);
      if (!m || route.method !== req.method) continue;
      options.beforeHandler?.(route.operation);
      return route.handle({ req, scope, e: scope.errors, params: m.slice(1).map(pathSegment), url: url! });
    }
    // No operation owns this request (an unknown path, or a known path with another method): the
    // contract's unrouted error, NOT_FOUND (Picora has no 405 code).
    req.resume();
    return scope.unrouted({ code: 'NOT_FOUND' });
  });
  return { handler, state: app.state };
}

/** Starts the example server; `port: 0` picks a free port. */
export async function startPicoraServer(options: PicoraServerOptions = {}): Promise<PicoraServer> {
  const { handler, state } = createPicoraHandler(options);
  const server = createServer((req, res) => void handler(req, res));
  // A client that stops sending mid-body must not hold a socket forever.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
