/** Videos, audio and the playback edge. */
import { failed, readUpload, uploadField } from '../edge';
import { ACCEPTED, detectMediaType } from '../media';
import { UpstreamFailure, type AudioRecord, type VideoRecord } from '../state';
import { attempt, caller, ok, publicCaller, screen, type App, type Route } from './app';

export function mediaRoutes(app: App): Route[] {
  const { state } = app;
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/videos$/,
      operation: 'uploadVideo',
      async handle(ctx) {
        const e = ctx.e.uploadVideo;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const plan = who.user.plan;
        // The plan decides before the upload is read: no point receiving a video that cannot be kept.
        if (plan.name !== 'pro') {
          ctx.req.resume();
          return e({ code: 'PLAN_REQUIRED', meta: { requiredPlan: 'pro', currentPlan: plan.name } });
        }
        const upload = await readUpload(ctx.req, app.uploadLimit, e);
        if (failed(upload)) return upload.error;
        const title = uploadField(upload, 'title', 200, e);
        if (failed(title)) return title.error;
        const bytes = upload.file;
        const detected = detectMediaType(bytes);
        if (!(ACCEPTED.video as readonly string[]).includes(detected.type)) {
          return e({ code: 'INVALID_FILE_TYPE', meta: { accepted: [...ACCEPTED.video], received: detected.type } });
        }
        if (bytes.length > plan.mediaFileBytes) return e({ code: 'FILE_TOO_LARGE', status: 422, meta: { maxBytes: plan.mediaFileBytes, actualBytes: bytes.length } });
        if (who.user.mediaBytesUsed + bytes.length > plan.mediaStorageBytes) {
          return e({ code: 'QUOTA_EXCEEDED', meta: { type: 'media_storage', used: who.user.mediaBytesUsed, limit: plan.mediaStorageBytes } });
        }
        const blocked = screen(app, bytes, e);
        if (blocked) return blocked.error;
        const id = state.nextId('vid');
        const key = `v/${who.user.id}/${id}.${detected.ext}`;
        if (attempt(() => state.upstream('storage', () => state.objects.set(key, bytes))) instanceof UpstreamFailure) {
          return e({ code: 'STORAGE_ERROR', message: 'Storing the video failed; nothing was stored. Retry with backoff.' });
        }
        // The original is stored; transcoding is the video provider's (Bunny / Aliyun VOD).
        if (attempt(() => state.upstream('video-provider', () => undefined)) instanceof UpstreamFailure) {
          state.objects.delete(key);
          return e({ code: 'DEPENDENCY_UNAVAILABLE', message: 'The video provider did not accept the video; nothing was kept. Retry with backoff.' });
        }
        const video: VideoRecord = {
          id, ownerId: who.user.id, title: title ?? 'Untitled', status: 'processing', durationSeconds: null, sizeBytes: bytes.length,
          bandwidthState: 'ok', bandwidthResetsAt: nextMonth(), createdAt: new Date().toISOString(),
        };
        state.videos.set(id, video);
        who.user.mediaBytesUsed += bytes.length;
        return ok(ctx, 202, publicVideo(video));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/videos\/([^/]+)$/,
      operation: 'getVideo',
      async handle(ctx) {
        const e = ctx.e.getVideo;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const video = state.videos.get(ctx.params[0]!);
        if (!video) return e({ code: 'NOT_FOUND', meta: { entity: 'Video' } });
        if (video.ownerId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This video belongs to another user.' });
        return ok(ctx, 200, publicVideo(video));
      },
    },
    {
      method: 'GET',
      pattern: /^\/videos\/([^/]+)\/playlist\.m3u8$/,
      operation: 'getVideoPlaylist',
      async handle(ctx) {
        const e = ctx.e.getVideoPlaylist;
        // The playback edge takes no credentials, so its rate limit is per client address.
        const limited = publicCaller(app, ctx, e);
        if (limited) return limited.error;
        const video = state.videos.get(ctx.params[0]!);
        if (!video) return e({ code: 'NOT_FOUND', meta: { entity: 'Video' } });
        if (video.playbackToken !== undefined) {
          const expires = Number(ctx.url.searchParams.get('expires'));
          if (ctx.url.searchParams.get('token') !== video.playbackToken || !(expires * 1000 > Date.now())) {
            return e({ code: 'FORBIDDEN', message: 'Signed playback: the token is missing, invalid or expired.' });
          }
        }
        if (video.bandwidthState === 'suspended') return e({ code: 'BANDWIDTH_SUSPENDED', meta: { state: 'suspended', resetsAt: video.bandwidthResetsAt } });
        // The edge proxies the provider's renditions.
        const variants = attempt(() => state.upstream('video-provider', () => (video.bandwidthState === 'degraded' ? ['360p'] : ['360p', '1080p'])));
        if (variants instanceof UpstreamFailure) return e({ code: 'DEPENDENCY_UNAVAILABLE', message: 'The video provider did not answer; retry with backoff.' });
        const playlist = ['#EXTM3U', ...variants.map((v) => `#EXT-X-STREAM-INF:BANDWIDTH=${v === '360p' ? 800000 : 5000000}\n${v}/playlist.m3u8`)].join('\n');
        return ctx.scope.text(200, `${playlist}\n`, 'application/vnd.apple.mpegurl');
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/audio$/,
      operation: 'uploadAudio',
      async handle(ctx) {
        const e = ctx.e.uploadAudio;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const upload = await readUpload(ctx.req, app.uploadLimit, e);
        if (failed(upload)) return upload.error;
        const title = uploadField(upload, 'title', 200, e);
        if (failed(title)) return title.error;
        const bytes = upload.file;
        const detected = detectMediaType(bytes);
        if (!(ACCEPTED.audio as readonly string[]).includes(detected.type)) {
          return e({ code: 'INVALID_FILE_TYPE', meta: { accepted: [...ACCEPTED.audio], received: detected.type } });
        }
        const plan = who.user.plan;
        if (bytes.length > plan.mediaFileBytes) return e({ code: 'FILE_TOO_LARGE', status: 422, meta: { maxBytes: plan.mediaFileBytes, actualBytes: bytes.length } });
        if (who.user.mediaBytesUsed + bytes.length > plan.mediaStorageBytes) {
          return e({ code: 'QUOTA_EXCEEDED', meta: { type: 'media_storage', used: who.user.mediaBytesUsed, limit: plan.mediaStorageBytes } });
        }
        const blocked = screen(app, bytes, e);
        if (blocked) return blocked.error;
        const id = state.nextId('aud');
        const key = `u/${who.user.id}/${id}.${detected.ext}`;
        if (attempt(() => state.upstream('storage', () => state.objects.set(key, bytes))) instanceof UpstreamFailure) {
          return e({ code: 'STORAGE_ERROR', message: 'Storing the audio file failed; nothing was stored. Retry with backoff.' });
        }
        const audio: AudioRecord = {
          id, userId: who.user.id, title: title ?? 'Untitled', url: `https://cdn.picora.me/${key}`, mimeType: detected.type, sizeBytes: bytes.length,
          durationSeconds: null, createdAt: new Date().toISOString(),
        };
        state.audio.set(id, audio);
        who.user.mediaBytesUsed += bytes.length;
        return ok(ctx, 201, publicAudio(audio));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/audio\/([^/]+)$/,
      operation: 'getAudio',
      async handle(ctx) {
        const e = ctx.e.getAudio;
        const who = caller(app, ctx, e);
        if (failed(who)) return who.error;
        const audio = state.audio.get(ctx.params[0]!);
        if (!audio) return e({ code: 'NOT_FOUND', meta: { entity: 'Audio' } });
        if (audio.userId !== who.user.id) return e({ code: 'FORBIDDEN', message: 'This audio file belongs to another user.' });
        return ok(ctx, 200, publicAudio(audio));
      },
    },
  ];
}

function publicVideo(v: VideoRecord) {
  const base = `https://video.picora.me/videos/${v.id}`;
  return {
    id: v.id, title: v.title, status: v.status, durationSeconds: v.durationSeconds, sizeBytes: v.sizeBytes, playlistUrl: `${base}/playlist.m3u8`,
    thumbnailUrl: v.status === 'ready' ? `${base}/thumbnail.jpg` : null, bandwidthState: v.bandwidthState, createdAt: v.createdAt,
  };
}

function publicAudio(a: AudioRecord) {
  const { userId: _owner, ...audio } = a;
  return audio;
}

function nextMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}
