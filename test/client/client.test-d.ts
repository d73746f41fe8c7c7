import { describe, expectTypeOf, it } from 'vitest';
import { createClient, type ApiError, type ApiErrorOf } from '../../generated/client';
import type { ErrorMeta } from '../../generated/catalog';

const client = createClient({ baseUrl: 'http://127.0.0.1:1' });
const image = { params: { path: { id: 'img_1' } } };
type Reserved = 'errata:empty_body' | 'errata:not_json' | 'errata:invalid_json' | 'errata:not_envelope' | 'errata:body_too_large' | 'errata:unknown_code' | 'errata:malformed_meta' | 'errata:malformed_success';

describe('per-operation error unions', () => {
  it('types a call\'s error as the operation\'s union', async () => {
    const { error } = await client.GET('/v1/images/{id}', image);
    expectTypeOf(error).toEqualTypeOf<ApiErrorOf<'getImage'> | undefined>();
    expectTypeOf<NonNullable<typeof error>['code']>().toEqualTypeOf<'UNAUTHORIZED' | 'API_KEY_REVOKED' | 'TOKEN_EXPIRED' | 'FORBIDDEN' | 'NOT_FOUND' | 'RATE_LIMITED' | 'INTERNAL' | Reserved>();
    expectTypeOf(error).exclude<undefined>().toExtend<ApiError>();
  });

  it('narrows status and meta by code', async () => {
    const { error } = await client.GET('/v1/images/{id}', image);
    if (error?.code === 'RATE_LIMITED') {
      expectTypeOf(error.status).toEqualTypeOf<429>();
      expectTypeOf(error.meta).toEqualTypeOf<ErrorMeta['RATE_LIMITED']>();
      expectTypeOf(error.meta.remaining).toEqualTypeOf<number>();
      expectTypeOf(error.kind).toEqualTypeOf<'contract'>();
    }
    const upload = (await client.POST('/v1/images', { body: {} as never })).error;
    if (upload?.code === 'FILE_TOO_LARGE') expectTypeOf(upload.status).toEqualTypeOf<413 | 422>();
    if (upload?.code === 'QUOTA_EXCEEDED') expectTypeOf(upload.meta).toEqualTypeOf<ErrorMeta['QUOTA_EXCEEDED']>();
  });

  it('narrows code by status (reserved members keep any status)', async () => {
    const { error } = await client.GET('/v1/images/{id}', image);
    if (error?.status === 401) expectTypeOf(error.code).toEqualTypeOf<'UNAUTHORIZED' | 'API_KEY_REVOKED' | 'TOKEN_EXPIRED' | Reserved>();
    if (error?.status === 404 && error.kind === 'contract') expectTypeOf(error.code).toEqualTypeOf<'NOT_FOUND'>();
  });

  it('types unknown codes and transport failures as their own members', async () => {
    const { error } = await client.GET('/v1/images/{id}', image);
    if (error?.code === 'errata:unknown_code') {
      expectTypeOf(error.serverCode).toEqualTypeOf<string>();
      expectTypeOf(error.meta).toEqualTypeOf<unknown>();
    }
    if (error?.kind === 'malformed') {
      expectTypeOf(error.code).toEqualTypeOf<'errata:malformed_meta' | 'errata:malformed_success'>();
      expectTypeOf(error.meta).toEqualTypeOf<unknown>();
    }
    if (error?.kind === 'transport') {
      expectTypeOf(error.code).toEqualTypeOf<'errata:empty_body' | 'errata:not_json' | 'errata:invalid_json' | 'errata:not_envelope' | 'errata:body_too_large'>();
      expectTypeOf(error.meta).toEqualTypeOf<undefined>();
    }
    if (error) {
      expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>();
      expectTypeOf(error.retryAfter).toEqualTypeOf<number | undefined>();
      expectTypeOf(error.rawBody).toEqualTypeOf<string>();
      expectTypeOf(error.response).toEqualTypeOf<Response>();
    }
  });

  it('rejects checks for codes the operation cannot return', async () => {
    const { error } = await client.GET('/v1/images/{id}', image);
    // @ts-expect-error getImage never returns QUOTA_EXCEEDED
    if (error?.code === 'QUOTA_EXCEEDED') return;
    // @ts-expect-error not a code at all
    if (error?.code === 'NOT_A_CODE') return;
    if (error?.code === 'NOT_FOUND') {
      // @ts-expect-error NOT_FOUND is only sent with 404
      if (error.status === 500) return;
    }
    const login = (await client.POST('/v1/auth/login', { body: { email: 'a@b.c', password: 'x' } })).error;
    // @ts-expect-error login cannot return QUOTA_EXCEEDED
    if (login?.code === 'QUOTA_EXCEEDED') return;
    // An unrouted error (x-errata.unrouted) comes on any call: login too may get the 404 NOT_FOUND.
    if (login?.code === 'NOT_FOUND') expectTypeOf(login.status).toEqualTypeOf<404>();
  });

  it('keeps openapi-fetch\'s success data and request typing', async () => {
    const { data } = await client.GET('/v1/images/{id}', image);
    expectTypeOf(data).exclude<undefined>().toHaveProperty('data');
    // @ts-expect-error the path parameter is required
    await client.GET('/v1/images/{id}', {});
    // @ts-expect-error GET is not defined on /v1/docs
    await client.GET('/v1/docs');
  });
});

describe('throwing style', () => {
  it('resolves to data only', async () => {
    const throwing = createClient({ throwOnError: true });
    const result = await throwing.GET('/v1/images/{id}', image);
    expectTypeOf(result).not.toHaveProperty('error');
    expectTypeOf(result.data).toEqualTypeOf<Awaited<ReturnType<typeof client.GET<'/v1/images/{id}', typeof image>>>['data'] & {}>();
  });
});

describe('the README example', () => {
  it('compiles as written', () => {
    const wait = (seconds: number | undefined) => seconds;
    async function getImage(id: string, key: string) {
      const api = createClient({ baseUrl: 'https://api.picora.example', headers: { Authorization: `Bearer ${key}` } });
      const { data, error } = await api.GET('/v1/images/{id}', { params: { path: { id } } });
      if (error?.code === 'NOT_FOUND') return null; // error.status is 404
      if (error?.code === 'RATE_LIMITED') wait(error.retryAfter); // error.meta: { limit, remaining, resetAt? }
      if (error) throw new Error(`${error.code} (${error.requestId})`);
      return data.data;
    }
    expectTypeOf(getImage).returns.resolves.toEqualTypeOf<{ id: string; url: string; mimeType: string; sizeBytes: number; width: number; height: number; folder?: string | null; alt?: string | null; createdAt: string } | null>();
  });
});
