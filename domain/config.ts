// Process configuration read from the environment, validated once at start-up.
import { z } from 'zod';
import type { BlockList } from 'node:net';
import { parseDuration } from './durations';
import { parseCidrList } from './networks';
import { DEFAULT_RETRY_SCHEDULE } from './events/contract';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const duration = z.string().refine(
  (v) => {
    try {
      parseDuration(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a duration such as 30s, 5m, 1h or 7d' },
);

/**
 * The platform admin token: 20-200 characters of base64 or base64url (hex and `openssl rand -base64 32` fit).
 * The one rule for both the start-up check and the bearer check of `/v1/platform/*`.
 */
export const PLATFORM_ADMIN_TOKEN_PATTERN = /^[A-Za-z0-9_\-+/=]{20,200}$/;

/** A comma-separated list of durations (the webhook retry schedule). */
const durationList = z.string().refine(
  (v) => {
    try {
      return v.split(',').every((d) => parseDuration(d) > 0);
    } catch {
      return false;
    }
  },
  { message: 'expected comma-separated durations such as 5s,5m,30m,2h' },
);

const cidrList = z.string().superRefine((v, ctx) => {
  try {
    parseCidrList(v);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a comma-separated CIDR list: ${(err as Error).message}`,
    });
  }
});

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.url(),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('payments-portal'),
  PLATFORM_ADMIN_TOKEN: z
    .string()
    .regex(
      PLATFORM_ADMIN_TOKEN_PATTERN,
      'expected 20-200 characters of base64 or base64url (A-Z a-z 0-9 _ - + / =)',
    )
    .optional(),
  DEV_OUTBOX: flag.default(false),
  ALLOW_HTTP_WEBHOOKS: flag.default(false),
  CHANNEL_CONFIRM_TIMEOUT: duration.default('1h'),
  INVITATION_TTL: duration.default('7d'),
  TRANSFER_APPROVAL_TTL: duration.default('24h'),
  PASSWORD_RESET_TTL: duration.default('1h'),
  MERCHANT_APPLICATION_TTL: duration.default('30d'),
  MERCHANT_APPLICATION_REMINDER: duration.default('2d'),
  SESSION_IDLE_TIMEOUT: duration.default('12h'),
  SESSION_ABSOLUTE_TIMEOUT: duration.default('7d'),
  MFA_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'expected 64 hex characters (a 32-byte key)')
    .default('0'.repeat(64)),
  CHANNEL_CALLBACK_SECRET: z.string().min(16).default('sandbox-bank-callback-secret'),
  SANDBOX_BANK_DELAY: duration.default('1500ms'),
  SANDBOX_BANK_CALLBACK_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
  PAYOUT_RECONCILIATION_INTERVAL: duration.default('5m'),
  WEBHOOK_RETRY_SCHEDULE: durationList.default(DEFAULT_RETRY_SCHEDULE),
  WEBHOOK_TIMEOUT: duration.default('15s'),
  EVENT_SWEEP_INTERVAL: duration.default('1m'),
  EXPIRED_ROWS_CLEANUP_INTERVAL: duration.default('1h'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Payments Portal <no-reply@portal.local>'),
  PORTAL_URL: z.url().default('http://localhost:3000'),
  PUBLIC_API_URL: z.url().default('http://127.0.0.1:3000'),
  ONBOARDING_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  TRUSTED_PROXIES: cidrList.default(''),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

type RawConfig = z.infer<typeof schema>;

/** Durations are also exposed in milliseconds, parsed once. */
export type Config = RawConfig & {
  CHANNEL_CONFIRM_TIMEOUT_MS: number;
  SANDBOX_BANK_DELAY_MS: number;
  PAYOUT_RECONCILIATION_INTERVAL_MS: number;
  /** The waits between a delivery's attempts (after the first one); then it gives up (FAILED). */
  WEBHOOK_RETRY_SCHEDULE_MS: number[];
  WEBHOOK_TIMEOUT_MS: number;
  EVENT_SWEEP_INTERVAL_MS: number;
  EXPIRED_ROWS_CLEANUP_INTERVAL_MS: number;
  INVITATION_TTL_MS: number;
  TRANSFER_APPROVAL_TTL_MS: number;
  PASSWORD_RESET_TTL_MS: number;
  MERCHANT_APPLICATION_TTL_MS: number;
  MERCHANT_APPLICATION_REMINDER_MS: number;
  SESSION_IDLE_TIMEOUT_MS: number;
  SESSION_ABSOLUTE_TIMEOUT_MS: number;
  /** TRUSTED_PROXIES parsed: the peers whose X-Forwarded-For is believed. */
  TRUSTED_PROXY_LIST: BlockList;
};

function withDurations(raw: RawConfig): Config {
  return {
    ...raw,
    CHANNEL_CONFIRM_TIMEOUT_MS: parseDuration(raw.CHANNEL_CONFIRM_TIMEOUT),
    SANDBOX_BANK_DELAY_MS: parseDuration(raw.SANDBOX_BANK_DELAY),
    PAYOUT_RECONCILIATION_INTERVAL_MS: parseDuration(raw.PAYOUT_RECONCILIATION_INTERVAL),
    WEBHOOK_RETRY_SCHEDULE_MS: raw.WEBHOOK_RETRY_SCHEDULE.split(',').map(parseDuration),
    WEBHOOK_TIMEOUT_MS: parseDuration(raw.WEBHOOK_TIMEOUT),
    EVENT_SWEEP_INTERVAL_MS: parseDuration(raw.EVENT_SWEEP_INTERVAL),
    EXPIRED_ROWS_CLEANUP_INTERVAL_MS: parseDuration(raw.EXPIRED_ROWS_CLEANUP_INTERVAL),
    INVITATION_TTL_MS: parseDuration(raw.INVITATION_TTL),
    TRANSFER_APPROVAL_TTL_MS: parseDuration(raw.TRANSFER_APPROVAL_TTL),
    PASSWORD_RESET_TTL_MS: parseDuration(raw.PASSWORD_RESET_TTL),
    MERCHANT_APPLICATION_TTL_MS: parseDuration(raw.MERCHANT_APPLICATION_TTL),
    MERCHANT_APPLICATION_REMINDER_MS: parseDuration(raw.MERCHANT_APPLICATION_REMINDER),
    SESSION_IDLE_TIMEOUT_MS: parseDuration(raw.SESSION_IDLE_TIMEOUT),
    SESSION_ABSOLUTE_TIMEOUT_MS: parseDuration(raw.SESSION_ABSOLUTE_TIMEOUT),
    TRUSTED_PROXY_LIST: parseCidrList(raw.TRUSTED_PROXIES),
  };
}

export class ConfigError extends Error {}

/** Reads and validates configuration; the error names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = withDurations(result.data);
  if (config.NODE_ENV === 'production' && /^0+$/.test(config.MFA_ENCRYPTION_KEY)) {
    throw new ConfigError('invalid configuration:\n  MFA_ENCRYPTION_KEY: must be set in production');
  }
  return config;
}
