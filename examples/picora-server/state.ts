/** In-memory Picora state: users, credentials, media, documents, the CDN allowlist. */

export interface Plan {
  /** Image storage, bytes. */
  imageStorageBytes: number;
  /** Per-file image limit of the plan, bytes (422 FILE_TOO_LARGE above it). */
  imageFileBytes: number;
  docCount: number;
  docMaxFileBytes: number;
  docMaxImagesPerDoc: number;
}

export interface User {
  id: string;
  isAdmin: boolean;
  plan: Plan;
  imageBytesUsed: number;
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
  bandwidthState: 'ok' | 'degraded' | 'suspended';
  bandwidthResetsAt: string;
  /** When set, playback needs `?token=<playbackToken>&expires=<future unix seconds>`. */
  playbackToken?: string;
}

export interface CdnEntry {
  id: string;
  pattern: string;
  match: 'exact' | 'suffix';
  note: string | null;
  createdAt: string;
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
  },
  sessions: {
    /** A dashboard session (JWT stand-in) of alice: the only way to create API keys. */
    alice: 'jwt.alice.valid',
    expired: 'jwt.alice.expired',
  },
  revokedKeyId: 'key_revoked',
  aliceKeyId: 'key_alice',
  adminKeyId: 'key_admin',
  /** An image that belongs to bob (403 for alice). */
  bobImageId: 'img_bob_0001',
  /** A document of bob's. */
  bobDocId: 'doc_bob_0001',
  videos: { playable: 'vid_playable', suspended: 'vid_suspended', signed: 'vid_signed' },
  playbackToken: 'pbt_signed_demo',
  cdnEntryId: 'cdn_seed_0001',
} as const;

export const FREE_PLAN: Plan = {
  imageStorageBytes: 160 * 1024,
  imageFileBytes: 64 * 1024,
  docCount: 3,
  docMaxFileBytes: 8 * 1024,
  docMaxImagesPerDoc: 3,
};

export class State {
  readonly users = new Map<string, User>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  readonly sessions = new Map<string, { userId: string; expiresAt: number }>();
  readonly images = new Map<string, ImageRecord>();
  readonly docs = new Map<string, DocRecord>();
  readonly videos = new Map<string, VideoRecord>();
  readonly cdn = new Map<string, CdnEntry>();
  private counter = 0;

  constructor(plan: Plan = FREE_PLAN) {
    const t = '2026-01-01T00:00:00.000Z';
    for (const [id, isAdmin] of [['usr_alice', false], ['usr_bob', false], ['usr_root', true]] as const) {
      this.users.set(id, { id, isAdmin, plan: { ...plan }, imageBytesUsed: 0 });
    }
    const key = (id: string, userId: string, k: string, revokedAt: string | null) =>
      this.apiKeys.set(id, { id, userId, name: id, key: k, createdAt: t, lastUsedAt: null, revokedAt });
    key(demo.aliceKeyId, 'usr_alice', demo.keys.alice, null);
    key(demo.adminKeyId, 'usr_root', demo.keys.admin, null);
    key(demo.revokedKeyId, 'usr_alice', demo.keys.revoked, t);
    this.sessions.set(demo.sessions.alice, { userId: 'usr_alice', expiresAt: Number.MAX_SAFE_INTEGER });
    this.sessions.set(demo.sessions.expired, { userId: 'usr_alice', expiresAt: 0 });
    this.images.set(demo.bobImageId, {
      id: demo.bobImageId, userId: 'usr_bob', url: `https://cdn.picora.me/u/usr_bob/${demo.bobImageId}.png`, mimeType: 'image/png',
      sizeBytes: 1024, width: 16, height: 16, folder: null, alt: null, createdAt: t,
    });
    this.docs.set(demo.bobDocId, {
      id: demo.bobDocId, userId: 'usr_bob', title: 'Bob', hash: '0'.repeat(64), markdown: '# Bob', sizeBytes: 5, imageCount: 0,
      url: `https://docs.picora.me/d/${demo.bobDocId}`, createdAt: t,
    });
    this.videos.set(demo.videos.playable, { id: demo.videos.playable, ownerId: 'usr_alice', bandwidthState: 'ok', bandwidthResetsAt: '2026-02-01T00:00:00Z' });
    this.videos.set(demo.videos.suspended, { id: demo.videos.suspended, ownerId: 'usr_bob', bandwidthState: 'suspended', bandwidthResetsAt: '2026-02-01T00:00:00Z' });
    this.videos.set(demo.videos.signed, { id: demo.videos.signed, ownerId: 'usr_alice', bandwidthState: 'ok', bandwidthResetsAt: '2026-02-01T00:00:00Z', playbackToken: demo.playbackToken });
    this.cdn.set(demo.cdnEntryId, { id: demo.cdnEntryId, pattern: '.example.com', match: 'suffix', note: 'Partner CDN', createdAt: t });
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${Date.now().toString(36)}${this.counter.toString(36).padStart(4, '0')}`;
  }

  imagesOf(userId: string): ImageRecord[] {
    return [...this.images.values()].filter((i) => i.userId === userId);
  }

  docsOf(userId: string): DocRecord[] {
    return [...this.docs.values()].filter((d) => d.userId === userId);
  }
}
