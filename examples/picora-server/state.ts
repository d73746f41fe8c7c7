/** In-memory Picora state: users, credentials, media, documents, OAuth, the CDN allowlist, and the upstreams. */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export interface Plan {
  name: 'free' | 'pro';
  /** Image storage, bytes. */
  imageStorageBytes: number;
  /** Per-file image limit of the plan, bytes (422 FILE_TOO_LARGE above it). */
  imageFileBytes: number;
  /** Video and audio storage, bytes. */
  mediaStorageBytes: number;
  /** Per-file video or audio limit of the plan, bytes. */
  mediaFileBytes: number;
  docCount: number;
  docMaxFileBytes: number;
  docMaxImagesPerDoc: number;
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  /** `salt:hash`, scrypt. */
  passwordHash: string;
  isAdmin: boolean;
  plan: Plan;
  imageBytesUsed: number;
  mediaBytesUsed: number;
  createdAt: string;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  key: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ImageRecord {
  id: string;
  userId: string;
  /** Upload order: what pagination cursors point at (ids are opaque). */
  seq: number;
  url: string;
  mimeType: string;
  sizeBytes: number;
  width: number;
  height: number;
  folder: string | null;
  alt: string | null;
  createdAt: string;
}

export interface DocRecord {
  id: string;
  userId: string;
  title: string;
  hash: string;
  markdown: string;
  sizeBytes: number;
  imageCount: number;
  url: string;
  createdAt: string;
}

export interface VideoRecord {
  id: string;
  ownerId: string;
  title: string;
  status: 'processing' | 'ready' | 'failed';
  durationSeconds: number | null;
  sizeBytes: number;
  bandwidthState: 'ok' | 'degraded' | 'suspended';
  bandwidthResetsAt: string;
  /** When set, playback needs `?token=<playbackToken>&expires=<future unix seconds>`. */
  playbackToken?: string;
  createdAt: string;
}

export interface AudioRecord {
  id: string;
  userId: string;
  title: string;
  url: string;
  mimeType: string;
  sizeBytes: number;
  durationSeconds: number | null;
  createdAt: string;
}

export interface CdnEntry {
  id: string;
  pattern: string;
  match: 'exact' | 'suffix';
  note: string | null;
  createdAt: string;
}

export interface OAuthClientRecord {
  client_id: string;
  client_id_issued_at: number;
  client_name: string;
  redirect_uris: string[];
  grant_types: ('authorization_code' | 'refresh_token')[];
  token_endpoint_auth_method: 'none';
  scope?: string;
}

export interface OAuthCode {
  clientId: string;
  userId: string;
  redirectUri: string;
  /** PKCE S256 challenge: base64url(sha256(verifier)). */
  challenge: string;
  scope: string[];
  expiresAt: number;
  used: boolean;
}

/** A rotating refresh token; `chain` ties every token issued from one authorization together. */
export interface OAuthRefresh {
  clientId: string;
  userId: string;
  scope: string[];
  chain: string;
  rotated: boolean;
}

export interface OAuthAccess {
  userId: string;
  scope: string[];
  chain: string;
  expiresAt: number;
}

/** Credentials and ids the demo state starts with, for tests and for trying the server by hand. */
export const demo = {
  keys: {
    /** alice, a regular user on the free plan. */
    alice: 'sk_live_alice0000000000000001',
    /** root, an admin. */
    admin: 'sk_live_admin0000000000000001',
    /** alice's key that was revoked. */
    revoked: 'sk_live_revoked00000000000001',
    /** pat, on the pro plan (video upload). */
    pro: 'sk_live_pat000000000000000001',
  },
  sessions: {
    /** A dashboard session (JWT stand-in) of alice: the only way to create API keys. */
    alice: 'jwt.alice.valid',
    expired: 'jwt.alice.expired',
  },
  alice: { email: 'alice@example.com', password: 'correct-horse-battery' },
  /** A refresh token of alice's that expired. */
  expiredRefreshToken: 'rt_alice_expired',
  revokedKeyId: 'key_revoked',
  aliceKeyId: 'key_alice',
  adminKeyId: 'key_admin',
  /** An image that belongs to bob (403 for alice). */
  bobImageId: 'img_bob_0001',
  /** A document of bob's. */
  bobDocId: 'doc_bob_0001',
  videos: { playable: 'vid_playable', suspended: 'vid_suspended', signed: 'vid_signed', bob: 'vid_bob_0001' },
  bobAudioId: 'aud_bob_0001',
  playbackToken: 'pbt_signed_demo',
  cdnEntryId: 'cdn_seed_0001',
  oauth: {
    clientId: 'oc_demo',
    redirectUri: 'http://127.0.0.1:33418/callback',
    /** An authorization code alice granted the demo client (`docs:read docs:write`), single use. */
    code: 'oac_demo',
    codeVerifier: 'demo-verifier-0123456789-abcdefghijklmnopqrstuvwxyz',
    /** Access tokens of alice: read-only, expired, and one whose token chain was revoked. */
    readToken: 'oat_alice_docs_read',
    expiredToken: 'oat_alice_expired',
    revokedToken: 'oat_alice_revoked',
  },
} as const;

export const FREE_PLAN: Plan = {
  name: 'free',
  imageStorageBytes: 160 * 1024,
  imageFileBytes: 64 * 1024,
  mediaStorageBytes: 160 * 1024,
  mediaFileBytes: 64 * 1024,
  docCount: 3,
  docMaxFileBytes: 8 * 1024,
  docMaxImagesPerDoc: 3,
};

/** Upstreams the server calls; each can be told to fail (see `State.faults`). */
export type Upstream = 'storage' | 'video-provider' | 'content-safety';

/** An upstream that failed after retries: the handler answers 502 with the code for that upstream. */
export class UpstreamFailure extends Error {
  constructor(readonly upstream: Upstream) {
    super(`${upstream} failed`);
  }
}

export class State {
  readonly users = new Map<string, User>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  readonly sessions = new Map<string, { userId: string; expiresAt: number }>();
  readonly refreshTokens = new Map<string, { userId: string; expiresAt: number }>();
  readonly images = new Map<string, ImageRecord>();
  readonly docs = new Map<string, DocRecord>();
  readonly videos = new Map<string, VideoRecord>();
  readonly audio = new Map<string, AudioRecord>();
  readonly cdn = new Map<string, CdnEntry>();
  readonly oauthClients = new Map<string, OAuthClientRecord>();
  readonly oauthCodes = new Map<string, OAuthCode>();
  readonly oauthRefresh = new Map<string, OAuthRefresh>();
  readonly oauthAccess = new Map<string, OAuthAccess>();
  readonly revokedChains = new Set<string>();
  /** The object store (R2 / OSS stand-in): key → bytes. */
  readonly objects = new Map<string, Buffer>();
  /**
   * Test-only fault injection: an upstream named here fails on every call until removed, as a
   * real one does during an outage. This is how a test reaches the 502s (STORAGE_ERROR,
   * DEPENDENCY_UNAVAILABLE) honestly: through the same code path an outage takes.
   */
  readonly faults = new Set<Upstream>();
  /**
   * The CN content-safety stand-in: SHA-256 of flagged content → its labels. A real deployment
   * asks Aliyun content safety; this lets a test flag a given upload.
   */
  readonly flagged = new Map<string, string[]>();
  /** The plans' limits (a new account gets a copy of `free`). */
  readonly plans: { free: Plan; pro: Plan };
  private counter = 0;

  constructor(plan: Partial<Plan> = {}) {
    const t = '2026-01-01T00:00:00.000Z';
    const free: Plan = { ...FREE_PLAN, ...plan, name: 'free' };
    const pro: Plan = { ...FREE_PLAN, ...plan, name: 'pro' };
    this.plans = { free, pro };
    const users: [string, string, boolean, Plan][] = [
      ['usr_alice', demo.alice.email, false, free],
      ['usr_bob', 'bob@example.com', false, free],
      ['usr_root', 'root@example.com', true, free],
      ['usr_pat', 'pat@example.com', false, pro],
    ];
    // One scrypt for the demo password (the others get a random one nobody knows).
    const alicePassword = hashPassword(demo.alice.password);
    for (const [id, email, isAdmin, p] of users) {
      const passwordHash = id === 'usr_alice' ? alicePassword : `${randomBytes(16).toString('hex')}:${randomBytes(32).toString('hex')}`;
      this.users.set(id, { id, email, name: null, passwordHash, isAdmin, plan: { ...p }, imageBytesUsed: 0, mediaBytesUsed: 0, createdAt: t });
    }
    const key = (id: string, userId: string, k: string, revokedAt: string | null) =>
      this.apiKeys.set(id, { id, userId, name: id, key: k, createdAt: t, lastUsedAt: null, revokedAt });
    key(demo.aliceKeyId, 'usr_alice', demo.keys.alice, null);
    key(demo.adminKeyId, 'usr_root', demo.keys.admin, null);
    key(demo.revokedKeyId, 'usr_alice', demo.keys.revoked, t);
    key('key_pat', 'usr_pat', demo.keys.pro, null);
    this.sessions.set(demo.sessions.alice, { userId: 'usr_alice', expiresAt: Number.MAX_SAFE_INTEGER });
    this.sessions.set(demo.sessions.expired, { userId: 'usr_alice', expiresAt: 0 });
    this.refreshTokens.set(demo.expiredRefreshToken, { userId: 'usr_alice', expiresAt: 0 });
    this.images.set(demo.bobImageId, {
      id: demo.bobImageId, userId: 'usr_bob', seq: 0, url: `https://cdn.picora.me/u/usr_bob/${demo.bobImageId}.png`, mimeType: 'image/png',
      sizeBytes: 1024, width: 16, height: 16, folder: null, alt: null, createdAt: t,
    });
    this.docs.set(demo.bobDocId, {
      id: demo.bobDocId, userId: 'usr_bob', title: 'Bob', hash: '0'.repeat(64), markdown: '# Bob', sizeBytes: 5, imageCount: 0,
      url: `https://docs.picora.me/d/${demo.bobDocId}`, createdAt: t,
    });
    const video = (id: string, ownerId: string, bandwidthState: VideoRecord['bandwidthState'], playbackToken?: string) =>
      this.videos.set(id, {
        id, ownerId, title: id, status: 'ready', durationSeconds: 94.5, sizeBytes: 52428800, bandwidthState, bandwidthResetsAt: '2026-02-01T00:00:00Z', createdAt: t,
        ...(playbackToken ? { playbackToken } : {}),
      });
    video(demo.videos.playable, 'usr_alice', 'ok');
    video(demo.videos.suspended, 'usr_bob', 'suspended');
    video(demo.videos.signed, 'usr_alice', 'ok', demo.playbackToken);
    video(demo.videos.bob, 'usr_bob', 'degraded');
    this.audio.set(demo.bobAudioId, {
      id: demo.bobAudioId, userId: 'usr_bob', title: 'Bob', url: `https://cdn.picora.me/u/usr_bob/${demo.bobAudioId}.mp3`, mimeType: 'audio/mpeg',
      sizeBytes: 2048, durationSeconds: null, createdAt: t,
    });
    this.cdn.set(demo.cdnEntryId, { id: demo.cdnEntryId, pattern: '.example.com', match: 'suffix', note: 'Partner CDN', createdAt: t });

    const o = demo.oauth;
    this.oauthClients.set(o.clientId, {
      client_id: o.clientId, client_id_issued_at: 1767225600, client_name: 'Demo AI client', redirect_uris: [o.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none', scope: 'docs:read docs:write',
    });
    this.oauthCodes.set(o.code, {
      clientId: o.clientId, userId: 'usr_alice', redirectUri: o.redirectUri, challenge: pkceChallenge(o.codeVerifier),
      scope: ['docs:read', 'docs:write'], expiresAt: Number.MAX_SAFE_INTEGER, used: false,
    });
    this.oauthAccess.set(o.readToken, { userId: 'usr_alice', scope: ['docs:read'], chain: 'chain_read', expiresAt: Number.MAX_SAFE_INTEGER });
    this.oauthAccess.set(o.expiredToken, { userId: 'usr_alice', scope: ['docs:read'], chain: 'chain_expired', expiresAt: 0 });
    this.oauthAccess.set(o.revokedToken, { userId: 'usr_alice', scope: ['docs:read'], chain: 'chain_revoked', expiresAt: Number.MAX_SAFE_INTEGER });
    this.revokedChains.add('chain_revoked');
  }

  nextId(prefix: string): string {
    return `${prefix}_${Date.now().toString(36)}${this.nextSeq().toString(36).padStart(4, '0')}`;
  }

  nextSeq(): number {
    this.counter += 1;
    return this.counter;
  }

  imagesOf(userId: string): ImageRecord[] {
    return [...this.images.values()].filter((i) => i.userId === userId);
  }

  docsOf(userId: string): DocRecord[] {
    return [...this.docs.values()].filter((d) => d.userId === userId);
  }

  /** Calls an upstream: it throws `UpstreamFailure` while a fault names it. */
  upstream<T>(name: Upstream, call: () => T): T {
    if (this.faults.has(name)) throw new UpstreamFailure(name);
    return call();
  }

  /** Flags content for the content-safety stand-in (what a moderation team's decision would do). */
  flag(content: Buffer | string, labels: string[]): void {
    this.flagged.set(sha256(content), labels);
  }

  /** The content-safety verdict for some content: the labels it was flagged with, empty when clean. */
  screen(content: Buffer | string): string[] {
    return this.upstream('content-safety', () => this.flagged.get(sha256(content)) ?? []);
  }
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** A random opaque token with a readable prefix. */
export function token(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(':');
  const expected = Buffer.from(hash ?? '', 'hex');
  const actual = scryptSync(password, Buffer.from(salt ?? '', 'hex'), 32);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
