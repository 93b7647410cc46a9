// PostgreSQL-backed throttle for the auth, MFA, password and registration routes: failure back-off per account
// and per IP (429 RATE_LIMITED with Retry-After), plus a generous per-IP request cap.
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { AppError } from '../domain/errors';
import { clientAddress } from '../domain/networks';
import type { AppEnv } from './context';

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

/** Counts this request against the per-IP cap; 429 when over it. */
async function countRequest(em: EntityManager, ip: string, cap: number): Promise<void> {
  const [row] = await em.execute<{ hits: number; retry_ms: number }[]>(
    `insert into throttle_counter (key, window_started_at, hits, blocked_until, updated_at)
     values (?, now(), 1, null, now())
     on conflict (key) do update set
       hits = case when throttle_counter.window_started_at <= now() - interval '1 minute' then 1
                   else throttle_counter.hits + 1 end,
       window_started_at = case when throttle_counter.window_started_at <= now() - interval '1 minute' then now()
                   else throttle_counter.window_started_at end,
       updated_at = now()
     returning hits, extract(epoch from (window_started_at + interval '1 minute' - now())) * 1000 as retry_ms`,
    [keyOf('requests', 'ip', ip)],
  );
  if (row && Number(row.hits) > cap) throw rateLimited(Number(row.retry_ms));
}

/**
 * Call first in a throttled handler: refuses (429 RATE_LIMITED, Retry-After) while the account or the IP is
 * backing off for this action, or the IP is over its request cap. Runs outside any transaction.
 */
export async function assertNotThrottled(
  em: EntityManager,
  subject: ThrottleSubject,
  options: ThrottleOptions = {},
): Promise<void> {
  if (subject.ip) await countRequest(em, subject.ip, options.requestsPerMinute ?? IP_REQUESTS_PER_MINUTE);
  const keys = failureKeys(subject).map((k) => k.key);
  if (!keys.length) return;
  const rows = await em.execute<{ retry_ms: number }[]>(
    `select extract(epoch from (blocked_until - now())) * 1000 as retry_ms
       from throttle_counter where key in (?, ?) and blocked_until > now()`,
    [keys[0], keys[1] ?? keys[0]],
  );
  const longest = Math.max(0, ...rows.map((r) => Number(r.retry_ms)));
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
    const [row] = await em.execute<{ hits: number }[]>(
      `insert into throttle_counter (key, window_started_at, hits, blocked_until, updated_at)
       values (?, now(), 1, null, now())
       on conflict (key) do update set
         hits = case when throttle_counter.updated_at <= now() - ?::float8 * interval '1 millisecond' then 1
                     else throttle_counter.hits + 1 end,
         window_started_at = case when throttle_counter.updated_at <= now() - ?::float8 * interval '1 millisecond'
                     then now() else throttle_counter.window_started_at end,
         updated_at = now()
       returning hits`,
      [key, policy.resetAfterMs, policy.resetAfterMs],
    );
    const delay = backoffDelayMs(policy, Number(row?.hits ?? 0));
    if (delay > 0) {
      await em.execute(
        `update throttle_counter set blocked_until = now() + ?::float8 * interval '1 millisecond' where key = ?`,
        [delay, key],
      );
    }
  }
}

/** After a success, forgets the account's failures for this action (the IP's count stays). */
export async function clearAccountFailures(em: EntityManager, subject: ThrottleSubject): Promise<void> {
  if (!subject.account) return;
  await em.execute('delete from throttle_counter where key = ?', [
    keyOf(subject.action, 'account', subject.account),
  ]);
}

/**
 * The caller's address when served by @hono/node-server: the TCP peer, or, when the peer is one of
 * TRUSTED_PROXIES, the client its X-Forwarded-For names. Requests handed to the app in-process (tests,
 * `app.request`) have no socket; for those only, the first X-Forwarded-For entry is used, else null.
 */
export function clientIp(c: Context<AppEnv>): string | null {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  const forwarded = c.req.header('x-forwarded-for');
  if (peer) return clientAddress(peer, forwarded, c.get('deps').config.TRUSTED_PROXY_LIST).slice(0, 64);
  const first = forwarded?.split(',')[0]?.trim();
  return first ? first.slice(0, 64) : null;
}
