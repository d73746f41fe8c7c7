import { describe, expectTypeOf, it } from 'vitest';
import type { ErrorMeta } from '../../generated/catalog';
import { createServerErrors, errata, errors, type ErrorResult, type OperationErrorInput } from '../../generated/server';

describe('per-operation error builders (Picora)', () => {
  it('accepts a declared code with its typed meta', () => {
    const r = errors.uploadImage({ code: 'QUOTA_EXCEEDED', meta: { type: 'img_storage', used: 10, limit: 10 } });
    expectTypeOf(r.code).toEqualTypeOf<OperationErrorInput['uploadImage']['code']>();
    expectTypeOf(r.body.code).toEqualTypeOf<OperationErrorInput['uploadImage']['code']>();
    expectTypeOf(r.status).toBeNumber();
  });

  it('rejects a code the operation does not declare', () => {
    // @ts-expect-error DOC_HASH_DUPLICATE is createDoc's, not uploadImage's
    errors.uploadImage({ code: 'DOC_HASH_DUPLICATE', meta: { existingId: 'doc_1' } });
    // @ts-expect-error not a catalog code at all
    errors.getImage({ code: 'TEAPOT' });
    // @ts-expect-error getVideoPlaylist is public: no 401 codes
    errors.getVideoPlaylist({ code: 'UNAUTHORIZED' });
    expectTypeOf<'DOC_HASH_DUPLICATE'>().not.toMatchTypeOf<OperationErrorInput['uploadImage']['code']>();
  });

  it('requires meta where the catalog requires it, and types it per code', () => {
    // @ts-expect-error QUOTA_EXCEEDED requires meta
    errors.uploadImage({ code: 'QUOTA_EXCEEDED' });
    // @ts-expect-error meta.limit is missing
    errors.uploadImage({ code: 'QUOTA_EXCEEDED', meta: { type: 'img_storage', used: 1 } });
    // @ts-expect-error 'disk' is not a quota dimension
    errors.uploadImage({ code: 'QUOTA_EXCEEDED', meta: { type: 'disk', used: 1, limit: 1 } });
    // @ts-expect-error existingId must be a string
    errors.createDoc({ code: 'DOC_HASH_DUPLICATE', meta: { existingId: 42 } });
    // @ts-expect-error no additional meta members (additionalProperties: false)
    errors.createDoc({ code: 'DOC_HASH_DUPLICATE', meta: { existingId: 'doc_1', extra: true } });
    errors.createDoc({ code: 'DOC_HASH_DUPLICATE', meta: { existingId: 'doc_1' } });
    // optional meta stays optional
    errors.getImage({ code: 'FORBIDDEN' });
    expectTypeOf<Extract<OperationErrorInput['createDoc'], { code: 'DOC_HASH_DUPLICATE' }>['meta']>().toEqualTypeOf<ErrorMeta['DOC_HASH_DUPLICATE']>();
  });

  it('takes the status from the catalog, and requires it only when the code allows several', () => {
    errors.getImage({ code: 'NOT_FOUND', meta: { entity: 'Image' } });
    errors.getImage({ code: 'NOT_FOUND', status: 404, meta: { entity: 'Image' } });
    // @ts-expect-error NOT_FOUND is a 404
    errors.getImage({ code: 'NOT_FOUND', status: 410, meta: { entity: 'Image' } });
    // @ts-expect-error FILE_TOO_LARGE is 413 or 422 on uploadImage: say which
    errors.uploadImage({ code: 'FILE_TOO_LARGE', meta: { maxBytes: 1 } });
    errors.uploadImage({ code: 'FILE_TOO_LARGE', status: 413, meta: { maxBytes: 1 } });
    errors.uploadImage({ code: 'FILE_TOO_LARGE', status: 422, meta: { maxBytes: 1, actualBytes: 2 } });
    // @ts-expect-error 400 is not one of FILE_TOO_LARGE's statuses
    errors.uploadImage({ code: 'FILE_TOO_LARGE', status: 400, meta: { maxBytes: 1 } });
  });

  it('requires Retry-After for retry-after codes and 429s', () => {
    // @ts-expect-error RATE_LIMITED needs retryAfter
    errors.getImage({ code: 'RATE_LIMITED', meta: { limit: 60, remaining: 0 } });
    errors.getImage({ code: 'RATE_LIMITED', meta: { limit: 60, remaining: 0 }, retryAfter: 30 });
    errors.registerOAuthClient({ code: 'OAUTH_CLIENT_RATE_LIMITED', retryAfter: new Date() });
    // @ts-expect-error OAUTH_CLIENT_RATE_LIMITED has retry: after
    errors.registerOAuthClient({ code: 'OAUTH_CLIENT_RATE_LIMITED' });
  });

  it('binds builders to a request and keeps the same types', () => {
    const scope = errata.forRequest({ headers: {} });
    expectTypeOf(scope.requestId).toBeString();
    // @ts-expect-error still per operation
    scope.errors.getDoc({ code: 'QUOTA_EXCEEDED', meta: { type: 'doc_count', used: 1, limit: 1 } });
    expectTypeOf(scope.internal()).toEqualTypeOf<ErrorResult>();
  });

  it('lets a shared edge helper accept exactly the operations that declare its codes', () => {
    type Fail = (input: { code: 'UNAUTHORIZED' } | { code: 'API_KEY_REVOKED' }) => unknown;
    const authenticate = (fail: Fail) => fail({ code: 'UNAUTHORIZED' });
    authenticate(errors.uploadImage);
    // @ts-expect-error the playlist is public and declares no 401
    authenticate(errors.getVideoPlaylist);
  });

  it('configures the internal code from the catalog only', () => {
    createServerErrors({ internalCode: 'STORAGE_ERROR', guard: true });
    // @ts-expect-error not a catalog code
    createServerErrors({ internalCode: 'OOPS' });
  });
});
