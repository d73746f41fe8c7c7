/** What every route of the example shares: the request context, the state, the limits, the credential check. */
import type { IncomingMessage } from 'node:http';
import type { ErrorMeta } from '../../../generated/catalog';
import type { ErrorBodies, ErrorResult, HttpResult, OperationErrorInput, RequestScope } from '../../../generated/server';
import { authenticate, failed, type AuthFail, type Failed, type Principal, type RateFail, type RateLimiter } from '../edge';
import { UpstreamFailure, type State } from '../state';

export type Scope = RequestScope<OperationErrorInput, ErrorBodies>;
export type Operation = keyof OperationErrorInput;

export interface Ctx {
  req: IncomingMessage;
  scope: Scope;
  e: Scope['errors'];
  /** Path parameters, percent-decoded (see `pathSegment`). */
  params: string[];
  url: URL;
}

export interface Route {
  method: string;
  pattern: RegExp;
  operation: Operation;
  handle(ctx: Ctx): Promise<HttpResult>;
}

export interface App {
  state: State;
  limiter: RateLimiter;
  /** OAuth dynamic client registration's own, stricter limit (per client address). */
  registrationLimiter: RateLimiter;
  uploadLimit: number;
  jsonLimit: number;
  /** `cn` screens every upload with content safety (451 COMPLIANCE_BLOCKED); `global` never does. */
  platform: 'global' | 'cn';
}

/** Authenticated route prelude: credentials, then the caller's rate limit. */
export function caller(app: App, ctx: Ctx, fail: AuthFail & RateFail): Principal | Failed {
  const who = authenticate(ctx.req, app.state, fail);
  if (failed(who)) return who;
  return app.limiter.check(who.user.id, fail) ?? who;
}

/** Public route prelude: the rate limit of the client address. */
export function publicCaller(app: App, ctx: Ctx, fail: RateFail): Failed | undefined {
  return app.limiter.check(`ip:${ctx.req.socket.remoteAddress}`, fail);
}

/** A `{ success: true, data }` body. */
export function ok(ctx: Ctx, status: number, data: unknown): HttpResult {
  return ctx.scope.json(status, { success: true, data });
}

/** Runs an upstream call; its outage comes back as the failure instead of an exception. */
export function attempt<T>(call: () => T): T | UpstreamFailure {
  try {
    return call();
  } catch (error) {
    if (error instanceof UpstreamFailure) return error;
    throw error;
  }
}

export type ScreenFail = (
  input: { code: 'COMPLIANCE_BLOCKED'; meta: ErrorMeta['COMPLIANCE_BLOCKED'] } | { code: 'DEPENDENCY_UNAVAILABLE'; message?: string },
) => ErrorResult;

/** On the CN platform, content safety screens every upload: flagged is 451, an outage of the check 502. */
export function screen(app: App, content: Buffer | string, fail: ScreenFail): Failed | undefined {
  if (app.platform !== 'cn') return undefined;
  const labels = attempt(() => app.state.screen(content));
  if (labels instanceof UpstreamFailure) return { error: fail({ code: 'DEPENDENCY_UNAVAILABLE', message: 'Content safety did not answer; retry with backoff.' }) };
  if (labels.length > 0) return { error: fail({ code: 'COMPLIANCE_BLOCKED', meta: { reasons: labels } }) };
  return undefined;
}
