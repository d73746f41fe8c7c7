import { failed, invalid, isObject, readJson, stringField } from '../edge';
import { sha256, UpstreamFailure, type DocRecord } from '../state';
import { attempt, caller, ok, screen, type App, type Route } from './app';

export function docRoutes(app: App): Route[] {
  const { state } = app;
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/docs$/,
      operation: 'createDoc',
      async handle(ctx) {
        const e = ctx.e.createDoc;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const body = await readJson(ctx.req, app.jsonLimit, e);
        if ('aborted' in body) return e({ code: 'MALFORMED_REQUEST', message: 'The body was cut off.' });
        if (failed(body)) return body.error;
        if (!isObject(body.value)) return invalid(e, [], 'Expected object').error;
        const markdown = stringField(body.value, 'markdown', e, { required: true, min: 1, max: Number.MAX_SAFE_INTEGER });
        if (failed(markdown)) return markdown.error;
        const title = stringField(body.value, 'title', e, { required: false, max: 200 });
        if (failed(title)) return title.error;
        const plan = who.user.plan;
        const sizeBytes = Buffer.byteLength(markdown!);
        if (sizeBytes > plan.docMaxFileBytes) return e({ code: 'DOC_FILE_TOO_LARGE', meta: { maxBytes: plan.docMaxFileBytes, actualBytes: sizeBytes } });
        const imageCount = (markdown!.match(/!\[[^\]]*\]\([^)]*\)/g) ?? []).length;
        if (imageCount > plan.docMaxImagesPerDoc) return e({ code: 'DOC_IMAGE_LIMIT_EXCEEDED', meta: { max: plan.docMaxImagesPerDoc, actual: imageCount } });
        const hash = sha256(markdown!);
        const mine = state.docsOf(who.user.id);
        const existing = mine.find((d) => d.hash === hash);
        // A duplicate is a no-op, so it is checked before the quota it would not consume.
        if (existing) return e({ code: 'DOC_HASH_DUPLICATE', meta: { existingId: existing.id } });
        if (mine.length >= plan.docCount) return e({ code: 'QUOTA_EXCEEDED', meta: { type: 'doc_count', used: mine.length, limit: plan.docCount } });
        const blocked = screen(app, markdown!, e);
        if (blocked) return blocked.error;
        const id = state.nextId('doc');
        if (attempt(() => state.upstream('storage', () => state.objects.set(`d/${id}.md`, Buffer.from(markdown!)))) instanceof UpstreamFailure) {
          return e({ code: 'STORAGE_ERROR', message: 'Storing the document failed; nothing was stored. Retry with backoff.' });
        }
        const doc: DocRecord = {
          id, userId: who.user.id, title: title ?? /^#\s+(.+)$/m.exec(markdown!)?.[1] ?? 'Untitled', hash, markdown: markdown!, sizeBytes, imageCount,
          url: `https://docs.picora.me/d/${id}`, createdAt: new Date().toISOString(),
        };
        state.docs.set(id, doc);
        const { userId: _owner, markdown: _markdown, ...data } = doc;
        return ok(ctx, 201, data);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/docs\/([^/]+)$/,
      operation: 'getDoc',
      async handle(ctx) {
        const e = ctx.e.getDoc;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const doc = state.docs.get(ctx.params[0]!);
        if (!doc) return e({ code: 'NOT_FOUND', meta: { entity: 'Document' } });
        if (doc.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This document belongs to another user.' });
        const { userId: _owner, ...data } = doc;
        return ok(ctx, 200, data);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/docs\/([^/]+)$/,
      operation: 'deleteDoc',
      async handle(ctx) {
        const e = ctx.e.deleteDoc;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const doc = state.docs.get(ctx.params[0]!);
        if (!doc) return e({ code: 'NOT_FOUND', meta: { entity: 'Document' } });
        if (doc.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This document belongs to another user.' });
        const removed = removeDoc(app, doc);
        if (removed instanceof UpstreamFailure) return e({ code: 'STORAGE_ERROR', message: 'Removing the stored document failed; it was kept. Retry with backoff.' });
        return ok(ctx, 200, { id: doc.id, deleted: true });
      },
    },
  ];
}

/** Deletes a document (its stored object first, so an outage keeps it whole); shared with MCP's `delete_doc`. */
export function removeDoc(app: App, doc: DocRecord): true | UpstreamFailure {
  const gone = attempt(() => app.state.upstream('storage', () => app.state.objects.delete(`d/${doc.id}.md`)));
  if (gone instanceof UpstreamFailure) return gone;
  app.state.docs.delete(doc.id);
  return true;
}
