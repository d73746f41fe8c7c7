/** Accounts and dashboard sessions (JWT stand-ins), and the API keys a session manages. */
import { createHash } from 'node:crypto';
import { failed, invalid, isObject, readJson, stringField, type Failed, type ValidationFail } from '../edge';
import { checkPassword, hashPassword, token, type User } from '../state';
import { caller, ok, publicCaller, type App, type Route } from './app';

const ACCESS_SECONDS = 15 * 60;
const REFRESH_MS = 30 * 24 * 3600 * 1000;
/** Compared against when the email is unknown, so both failures take as long (no account enumeration). */
const NOBODY = hashPassword('nobody');

export function accountRoutes(app: App): Route[] {
  const { state } = app;

  function session(user: User) {
    const accessToken = token('jwt');
    const refreshToken = token('rt');
    state.sessions.set(accessToken, { userId: user.id, expiresAt: Date.now() + ACCESS_SECONDS * 1000 });
    state.refreshTokens.set(refreshToken, { userId: user.id, expiresAt: Date.now() + REFRESH_MS });
    return { user: publicUser(user), accessToken, refreshToken, expiresIn: ACCESS_SECONDS };
  }

  return [
    {
      method: 'POST',
      pattern: /^\/v1\/auth\/register$/,
      operation: 'registerUser',
      async handle(ctx) {
        const e = ctx.e.registerUser;
        const limited = publicCaller(app, ctx, e);
        if (limited) return limited.error;
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const email = emailField(body.value, e);
        if (failed(email)) return email.error;
        const password = stringField(body.value, 'password', e, { required: true, min: 8, max: 128 });
        if (failed(password)) return password.error;
        const name = stringField(body.value, 'name', e, { required: false, max: 100 });
        if (failed(name)) return name.error;
        const normalized = email.toLowerCase();
        if ([...state.users.values()].some((u) => u.email.toLowerCase() === normalized)) {
          return e({ code: 'CONFLICT', message: 'An account with this email already exists; sign in instead.' });
        }
        const user: User = {
          id: state.nextId('usr'), email, name: name ?? null, passwordHash: hashPassword(password!), isAdmin: false, plan: { ...state.plans.free },
          imageBytesUsed: 0, mediaBytesUsed: 0, createdAt: new Date().toISOString(),
        };
        state.users.set(user.id, user);
        return ok(ctx, 201, session(user));
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/auth\/login$/,
      operation: 'login',
      async handle(ctx) {
        const e = ctx.e.login;
        const limited = publicCaller(app, ctx, e);
        if (limited) return limited.error;
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const email = emailField(body.value, e);
        if (failed(email)) return email.error;
        const password = stringField(body.value, 'password', e, { required: true, min: 1, max: 1024 });
        if (failed(password)) return password.error;
        const user = [...state.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
        const matches = checkPassword(password!, user?.passwordHash ?? NOBODY);
        if (!user || !matches) return e({ code: 'UNAUTHORIZED', message: 'Wrong email or password.' });
        return ok(ctx, 200, session(user));
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/auth\/refresh$/,
      operation: 'refreshSession',
      async handle(ctx) {
        const e = ctx.e.refreshSession;
        const limited = publicCaller(app, ctx, e);
        if (limited) return limited.error;
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const refreshToken = stringField(body.value, 'refreshToken', e, { required: true, min: 1, max: 512 });
        if (failed(refreshToken)) return refreshToken.error;
        const held = state.refreshTokens.get(refreshToken!);
        if (!held) return e({ code: 'UNAUTHORIZED', message: 'Unknown or revoked refresh token; sign in again.' });
        // A refresh token is used once: the new pair replaces it.
        state.refreshTokens.delete(refreshToken!);
        if (held.expiresAt <= Date.now()) return e({ code: 'TOKEN_EXPIRED', message: 'The refresh token expired; sign in again.' });
        return ok(ctx, 200, session(state.users.get(held.userId)!));
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/api-keys$/,
      operation: 'createApiKey',
      async handle(ctx) {
        const e = ctx.e.createApiKey;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        // Security is `Jwt` only: an API key cannot mint further keys.
        if (who.via !== 'session') {
          ctx.req.resume();
          return e({ code: 'UNAUTHORIZED', message: 'Creating API keys needs a dashboard session, not an API key.' });
        }
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const name = stringField(body.value, 'name', e, { required: true, min: 1, max: 64 });
        if (failed(name)) return name.error;
        const id = state.nextId('key');
        const key = `sk_live_${createHash('sha256').update(token('k')).digest('hex').slice(0, 24)}`;
        const record = { id, userId: who.user.id, name: name!, key, createdAt: new Date().toISOString(), lastUsedAt: null, revokedAt: null };
        state.apiKeys.set(id, record);
        return ok(ctx, 201, { ...publicKey(record), key });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/api-keys\/([^/]+)$/,
      operation: 'revokeApiKey',
      async handle(ctx) {
        const e = ctx.e.revokeApiKey;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        // Security is `Jwt` only, as for creating keys: a leaked key must not be able to revoke the others.
        if (who.via !== 'session') return e({ code: 'UNAUTHORIZED', message: 'Revoking API keys needs a dashboard session, not an API key.' });
        const key = state.apiKeys.get(ctx.params[0]!);
        if (!key) return e({ code: 'NOT_FOUND', meta: { entity: 'ApiKey' } });
        if (key.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This key belongs to another user.' });
        key.revokedAt ??= new Date().toISOString();
        return ok(ctx, 200, publicKey(key));
      },
    },
  ];
}

function publicUser(u: User) {
  return { id: u.id, email: u.email, name: u.name, plan: u.plan.name, isAdmin: u.isAdmin, createdAt: u.createdAt };
}

function publicKey(k: { id: string; name: string; key: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }) {
  return { id: k.id, name: k.name, prefix: k.key.slice(0, 12), createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt };
}

/** A required `email` field: a string that looks like an address (what Zod's `.email()` rejects is 422). */
function emailField(body: Record<string, unknown>, fail: ValidationFail): string | Failed {
  const email = stringField(body, 'email', fail, { required: true, min: 3, max: 254 });
  if (failed(email)) return email;
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email!)) return invalid(fail, ['email'], 'Invalid email', 'invalid_string');
  return email!;
}
