import { failed, invalid, readUpload, uploadField } from '../edge';
import { ACCEPTED, detectMediaType } from '../media';
import { UpstreamFailure, type ImageRecord } from '../state';
import { attempt, caller, ok, screen, type App, type Route } from './app';

export function imageRoutes(app: App): Route[] {
  const { state } = app;
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/images$/,
      operation: 'uploadImage',
      async handle(ctx) {
        const e = ctx.e.uploadImage;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const upload = await readUpload(ctx.req, app.uploadLimit, e);
        if (failed(upload)) return upload.error;
        const folder = uploadField(upload, 'folder', 64, e);
        if (failed(folder)) return folder.error;
        const alt = uploadField(upload, 'alt', 500, e);
        if (failed(alt)) return alt.error;
        const bytes = upload.file;
        const detected = detectMediaType(bytes);
        if (!(ACCEPTED.image as readonly string[]).includes(detected.type)) {
          return e({ code: 'INVALID_FILE_TYPE', meta: { accepted: [...ACCEPTED.image], received: detected.type } });
        }
        const plan = who.user.plan;
        if (bytes.length > plan.imageFileBytes) return e({ code: 'FILE_TOO_LARGE', status: 422, meta: { maxBytes: plan.imageFileBytes, actualBytes: bytes.length } });
        if (who.user.imageBytesUsed + bytes.length > plan.imageStorageBytes) {
          return e({ code: 'QUOTA_EXCEEDED', meta: { type: 'img_storage', used: who.user.imageBytesUsed, limit: plan.imageStorageBytes } });
        }
        const blocked = screen(app, bytes, e);
        if (blocked) return blocked.error;
        const id = state.nextId('img');
        const key = `u/${who.user.id}/${id}.${detected.ext}`;
        if (attempt(() => state.upstream('storage', () => state.objects.set(key, bytes))) instanceof UpstreamFailure) {
          return e({ code: 'STORAGE_ERROR', message: 'Storing the image failed; nothing was stored. Retry with backoff.' });
        }
        const image: ImageRecord = {
          id, userId: who.user.id, seq: state.nextSeq(), url: `https://cdn.picora.me/${key}`, mimeType: detected.type, sizeBytes: bytes.length,
          width: detected.width, height: detected.height, folder, alt, createdAt: new Date().toISOString(),
        };
        state.images.set(id, image);
        who.user.imageBytesUsed += bytes.length;
        return ok(ctx, 201, publicImage(image));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/images$/,
      operation: 'listImages',
      async handle(ctx) {
        const e = ctx.e.listImages;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const query = ctx.url.searchParams;
        const rawLimit = query.get('limit');
        const limit = rawLimit === null ? 20 : /^[0-9]{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
        if (!(limit >= 1 && limit <= 100)) return invalid(e, ['limit'], 'Expected an integer from 1 to 100', limit > 100 ? 'too_big' : 'invalid_type').error;
        const rawCursor = query.get('cursor');
        const after = rawCursor === null ? Number.POSITIVE_INFINITY : readCursor(rawCursor);
        if (after === undefined) return invalid(e, ['cursor'], 'Invalid cursor: pass `pagination.nextCursor` of the previous page as it is', 'custom').error;
        const folder = query.get('folder');
        // Newest first; a cursor is the upload order of the last image of the previous page.
        const rest = state
          .imagesOf(who.user.id)
          .filter((i) => i.seq < after && (folder === null || i.folder === folder))
          .sort((a, b) => b.seq - a.seq);
        const page = rest.slice(0, limit);
        const hasMore = rest.length > limit;
        return ctx.scope.json(200, { success: true, data: page.map(publicImage), pagination: { hasMore, nextCursor: hasMore ? writeCursor(page.at(-1)!.seq) : null } });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/images\/([^/]+)$/,
      operation: 'getImage',
      async handle(ctx) {
        const e = ctx.e.getImage;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const image = state.images.get(ctx.params[0]!);
        if (!image) return e({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
        if (image.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This image belongs to another user.' });
        return ok(ctx, 200, publicImage(image));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/images\/([^/]+)$/,
      operation: 'deleteImage',
      async handle(ctx) {
        const e = ctx.e.deleteImage;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const image = state.images.get(ctx.params[0]!);
        if (!image) return e({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
        if (image.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This image belongs to another user.' });
        const key = new URL(image.url).pathname.slice(1);
        if (attempt(() => state.upstream('storage', () => state.objects.delete(key))) instanceof UpstreamFailure) {
          return e({ code: 'STORAGE_ERROR', message: 'Removing the stored image failed; it was not deleted. Retry with backoff.' });
        }
        state.images.delete(image.id);
        who.user.imageBytesUsed -= image.sizeBytes;
        return ok(ctx, 200, { id: image.id, deleted: true });
      },
    },
  ];
}

function publicImage(i: ImageRecord) {
  const { userId: _owner, seq: _seq, ...image } = i;
  return image;
}

/** Cursors are opaque to clients: base64url JSON, so the server may change what they hold. */
function writeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ seq })).toString('base64url');
}

function readCursor(raw: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const seq = typeof value === 'object' && value !== null ? (value as { seq?: unknown }).seq : undefined;
    return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}
