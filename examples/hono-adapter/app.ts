/**
 * A small Hono app on errata's Hono adapter (`errata/adapters/hono` when installed): two Picora
 * operations, errors only through the generated builders. In `route`, `errors.getImage` accepts
 * only getImage's codes; the types come from the generated `errata`, with no annotations.
 */
import { Hono } from 'hono';
import { onError, requestScope, route } from '../../runtime/adapters/hono';
import { createServerErrors } from '../../generated/server';

export interface HonoAppOptions {
  /** The guard is on in development and tests; pass `false` to see what production would send. */
  guard?: boolean;
  onUnexpected?: (error: unknown, info: { requestId: string }) => void;
}

export function createApp(options: HonoAppOptions = {}) {
  const errata = createServerErrors({ guard: options.guard ?? true, ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}) });
  const images = new Map([
    ['img_1', { owner: 'sk_live_alice', image: { id: 'img_1', url: 'https://cdn.picora.me/img_1.png', mimeType: 'image/png', sizeBytes: 1024, width: 16, height: 16, createdAt: '2026-01-01T00:00:00Z' } }],
  ]);
  const app = new Hono();
  app.use(requestScope(errata));
  app.onError(onError(errata));

  app.get(
    '/v1/images/:id',
    route(errata, (c, { errors }) => {
      const token = /^Bearer (sk_live_\w+)$/.exec(c.req.header('authorization') ?? '')?.[1];
      if (!token) return errors.getImage({ code: 'UNAUTHORIZED' });
      const found = images.get(c.req.param('id') ?? '');
      if (!found) return errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
      if (found.owner !== token) return errors.getImage({ code: 'FORBIDDEN' });
      return c.json({ success: true, data: found.image });
    }),
  );

  app.get(
    '/videos/:id/playlist.m3u8',
    route(errata, (c, { errors }) => {
      if (c.req.param('id') === 'vid_boom') throw new Error('provider SDK crashed: token=abc123');
      return errors.getVideoPlaylist({ code: 'BANDWIDTH_SUSPENDED', meta: { state: 'suspended', resetsAt: '2026-02-01T00:00:00Z' } });
    }),
  );

  return app;
}
