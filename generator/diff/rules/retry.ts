import type { RetryPolicy } from '../../model/types';
import type { CodePair, Finding, Rule } from '../types';

/** What a client generated with `from` does when the server now means `to`. */
function retryChange(pair: CodePair, from: RetryPolicy[], to: RetryPolicy[], effect: string): Finding[] {
  const { before, after } = pair;
  if (before.retry === after.retry || !from.includes(before.retry) || !to.includes(after.retry)) return [];
  return [{ code: after.code, message: `${after.code}: retry ${before.retry} → ${after.retry}: ${effect}`, old: `${before.pointer}/retry`, new: `${after.pointer}/retry` }];
}

export const retryDisallowed: Rule<'code'> = {
  id: 'retry-disallowed',
  level: 'breaking',
  subject: 'code',
  why: 'clients generated from the old contract keep retrying a request the server now says must not be repeated (it may not be idempotent, or retrying makes things worse)',
  check: (pair) => retryChange(pair, ['backoff', 'after'], ['none'], 'clients generated from the old contract retry what must not be retried'),
};

export const retryAfterRequired: Rule<'code'> = {
  id: 'retry-after-required',
  level: 'breaking',
  subject: 'code',
  why: 'an old client retries on its own backoff schedule, ignoring `Retry-After`, so it comes back before the server allows it',
  check: (pair) => retryChange(pair, ['backoff'], ['after'], 'clients generated from the old contract ignore Retry-After and retry too early'),
};

export const retryLoosened: Rule<'code'> = {
  id: 'retry-loosened',
  level: 'safe',
  subject: 'code',
  why: 'an old client retries less than it may (none → retry), or waits for `Retry-After` and falls back to backoff without it (after → backoff)',
  check: (pair) => [
    ...retryChange(pair, ['none'], ['backoff', 'after'], 'clients generated from the old contract give up where they could retry'),
    ...retryChange(pair, ['after'], ['backoff'], 'old clients fall back to backoff when Retry-After is absent'),
  ],
};
