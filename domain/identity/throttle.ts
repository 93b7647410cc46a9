// The auth throttle's rules: failure back-off per account and per IP (429 RATE_LIMITED with Retry-After) and a
// generous per-IP request cap, for sign-in, MFA, password and registration use cases.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import {
  blockKeyFor,
  countFailure,
  countRequestInWindow,
  deleteThrottleKey,
  longestBlockMs,
} from '../../db/store/throttle';

export interface BackoffPolicy {
  /** Failures (without a quiet `resetAfterMs`) after which each further failure blocks the subject. */
  threshold: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A subject with no failure for this long starts again from zero. */
  resetAfterMs: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/**
 * Per account: back-off from the 5th failure, doubling from 15 s and capped at 60 s, so an attacker slows
 * guessing to about one try a minute but cannot lock the real user out for longer than that.
 */
export const ACCOUNT_BACKOFF: BackoffPolicy = {
  threshold: 5,
  baseDelayMs: 15_000,
  maxDelayMs: 60_000,
  resetAfterMs: FIFTEEN_MINUTES,
};

/** Per IP: a higher threshold (many users may share an address), back-off up to 15 minutes. */
export const IP_BACKOFF: BackoffPolicy = {
  threshold: 20,
  baseDelayMs: 30_000,
  maxDelayMs: FIFTEEN_MINUTES,
  resetAfterMs: FIFTEEN_MINUTES,
};

/** Requests (successful or not) per IP and minute on throttled routes. */
export const IP_REQUESTS_PER_MINUTE = 600;

export interface ThrottleSubject {
  /** What is being attempted, e.g. `login`, `mfa`, `password-change`, `password-reset`, `registration`. */
  action: string;
  /** Null when the address is unknown (never behind @hono/node-server): only per-account limits apply. */
  ip: string | null;
  /** The account (login email or user ID); omitted when the action has none. */
  account?: string | null;
}

export interface ThrottleOptions {
  account?: BackoffPolicy;
  ip?: BackoffPolicy;
  requestsPerMinute?: number;
}

function keyOf(action: string, scope: string, subject: string): string {
  return `${action}:${scope}:${createHash('sha256').update(subject.toLowerCase()).digest('hex')}`;
}

function failureKeys(subject: ThrottleSubject): { key: string; policy: 'account' | 'ip' }[] {
  const keys: { key: string; policy: 'account' | 'ip' }[] = [];
  if (subject.ip) keys.push({ key: keyOf(subject.action, 'ip', subject.ip), policy: 'ip' });
  if (subject.account)
    keys.push({ key: keyOf(subject.action, 'account', subject.account), policy: 'account' });
  return keys;
}

function rateLimited(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('RATE_LIMITED', `too many attempts; retry in ${seconds} s`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

/**
 * Call first in a throttled use case: refuses (429 RATE_LIMITED, Retry-After) while the account or the IP is
 * backing off for this action, or the IP is over its request cap. Runs outside any transaction.
 */
export async function assertNotThrottled(
  em: EntityManager,
  subject: ThrottleSubject,
  options: ThrottleOptions = {},
): Promise<void> {
  if (subject.ip) {
    const window = await countRequestInWindow(em, keyOf('requests', 'ip', subject.ip));
    if (window.hits > (options.requestsPerMinute ?? IP_REQUESTS_PER_MINUTE))
      throw rateLimited(window.windowEndsInMs);
  }
  const longest = await longestBlockMs(
    em,
    failureKeys(subject).map((k) => k.key),
  );
  if (longest > 0) throw rateLimited(longest);
}

export function backoffDelayMs(policy: BackoffPolicy, failures: number): number {
  if (failures < policy.threshold) return 0;
  const doublings = Math.min(failures - policy.threshold, 30);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/** Records a failed attempt for the account and the IP; from the threshold on, each failure blocks for longer. */
export async function recordFailure(
  em: EntityManager,
  subject: ThrottleSubject,
  options: ThrottleOptions = {},
): Promise<void> {
  for (const { key, policy: which } of failureKeys(subject)) {
    const policy = which === 'ip' ? (options.ip ?? IP_BACKOFF) : (options.account ?? ACCOUNT_BACKOFF);
    const delay = backoffDelayMs(policy, await countFailure(em, key, policy.resetAfterMs));
    if (delay > 0) await blockKeyFor(em, key, delay);
  }
}

/** After a success, forgets the account's failures for this action (the IP's count stays). */
export async function clearAccountFailures(em: EntityManager, subject: ThrottleSubject): Promise<void> {
  if (!subject.account) return;
  await deleteThrottleKey(em, keyOf(subject.action, 'account', subject.account));
}
