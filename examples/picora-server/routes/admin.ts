/** The admin CDN allowlist (which image hosts Markdown documents may embed). */
import { failed, invalid, isObject, readJson, stringField } from '../edge';
import type { CdnEntry } from '../state';
import { caller, ok, type App, type Route } from './app';

export function adminRoutes(app: App): Route[] {
  const { state } = app;
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/admin\/cdn-allowlist$/,
      operation: 'listCdnAllowlist',
      async handle(ctx) {
        const e = ctx.e.listCdnAllowlist;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        if (!who.user.isAdmin) return e({ code: 'FORBIDDEN', message: 'Admin only.' });
        return ok(ctx, 200, [...state.cdn.values()]);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/admin\/cdn-allowlist$/,
      operation: 'addCdnAllowlistEntry',
      async handle(ctx) {
        const e = ctx.e.addCdnAllowlistEntry;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        if (!who.user.isAdmin) {
          ctx.req.resume();
          return e({ code: 'FORBIDDEN', message: 'Admin only.' });
        }
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const pattern = stringField(body.value, 'pattern', e, { required: true, min: 1, max: 253 });
        if (failed(pattern)) return pattern.error;
        const note = stringField(body.value, 'note', e, { required: false, max: 200 });
        if (failed(note)) return note.error;
        // A bare hostname, optionally with a leading dot: no scheme, port, path or other characters.
        if (!/^\.?(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i.test(pattern!)) {
          return e({ code: 'DOC_INVALID_PATTERN', meta: { pattern: pattern! } });
        }
        const normalized = pattern!.toLowerCase();
        if ([...state.cdn.values()].some((c) => c.pattern === normalized)) return e({ code: 'CONFLICT', message: `\`${normalized}\` is already on the allowlist.` });
        const entry: CdnEntry = { id: state.nextId('cdn'), pattern: normalized, match: normalized.startsWith('.') ? 'suffix' : 'exact', note: note ?? null, createdAt: new Date().toISOString() };
        state.cdn.set(entry.id, entry);
        return ok(ctx, 201, entry);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/admin\/cdn-allowlist\/([^/]+)$/,
      operation: 'removeCdnAllowlistEntry',
      async handle(ctx) {
        const e = ctx.e.removeCdnAllowlistEntry;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        if (!who.user.isAdmin) return e({ code: 'FORBIDDEN', message: 'Admin only.' });
        const entry = state.cdn.get(ctx.params[0]!);
        if (!entry) return e({ code: 'NOT_FOUND', meta: { entity: 'CdnWhitelistEntry' } });
        state.cdn.delete(entry.id);
        return ok(ctx, 200, { id: entry.id, deleted: true });
      },
    },
  ];
}
