/**
 * A small Hono app on the adapter: two Picora operations, errors only through the generated
 * builders. `c.get('errata').errors.getImage` accepts only getImage's codes.
 */
import { Hono } from 'hono';
import { errataMiddleware, errataOnError, type ErrataEnv } from './errata-hono';
import { createServerErrors, toResponse } from '../../generated/server';

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
  const app = new Hono<ErrataEnv>();
  app.use(errataMiddleware(errata));
  app.onError(errataOnError(errata));

  app.get('/v1/images/:id', (c) => {
    const { errors } = c.get('errata');
    const token = /^Bearer (sk_live_\w+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return toResponse(errors.getImage({ code: 'UNAUTHORIZED' }));
    const found = images.get(c.req.param('id'));
    if (!found) return toResponse(errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } }));
    if (found.owner !== token) return toResponse(errors.getImage({ code: 'FORBIDDEN' }));
    return c.json({ success: true, data: found.image });
  });

  app.get('/videos/:id/playlist.m3u8', (c) => {
    const { errors } = c.get('errata');
    if (c.req.param('id') === 'vid_boom') throw new Error('provider SDK crashed: token=abc123');
    return toResponse(errors.getVideoPlaylist({ code: 'BANDWIDTH_SUSPENDED', meta: { state: 'suspended', resetsAt: '2026-02-01T00:00:00Z' } }));
  });

  return app;
}
