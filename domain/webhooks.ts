// Webhook rules shared by the API and the delivery activities: event names, Standard Webhooks signatures,
// secrets at rest, target checks.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from './errors';
import { EVENT_TYPES } from './events/contract';
import { isNonPublicAddress } from './networks';

/** The events a tenant can subscribe to (API.md: every event type). */
export const TENANT_EVENTS = EVENT_TYPES;

export type TenantEvent = (typeof TENANT_EVENTS)[number];

/** A Standard Webhooks secret: `whsec_` + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The HMAC key of a `whsec_` secret: the base64-decoded part after the prefix. */
export function webhookSigningKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/**
 * Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` keyed with the secret's
 * decoded key (https://www.standardwebhooks.com).
 */
export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', webhookSigningKey(secret)).update(`${id}.${timestamp}.${body}`);
  return `v1,${mac.digest('base64')}`;
}

/** The three Standard Webhooks headers of one attempt (the id is the event's, the same on every retry). */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardSignature(secret, id, timestamp, body),
  };
}

/** A key for webhook secrets derived from the installation's encryption key (never the key itself). */
function secretKey(masterKeyHex: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(masterKeyHex, 'hex'), '', 'webhook-secret', 32));
}

/** AES-256-GCM: `iv.tag.ciphertext`, each base64url. */
export function encryptWebhookSecret(masterKeyHex: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey(masterKeyHex), iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

export function decryptWebhookSecret(masterKeyHex: string, stored: string): string {
  const [iv, tag, data] = stored.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !data) throw new Error('malformed webhook secret');
  const decipher = createDecipheriv('aes-256-gcm', secretKey(masterKeyHex), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

/** A webhook URL is https; plain http only where the installation allows it (local testing). */
export function isAllowedWebhookUrl(url: string, allowHttp: boolean): boolean {
  const protocol = new URL(url).protocol;
  return protocol === 'https:' || (protocol === 'http:' && allowHttp);
}

/** A secret is issued when a URL is set and there is none yet, or on request. */
export function needsNewSecret(webhookUrl: string | null, hasSecret: boolean, rotate: boolean): boolean {
  return Boolean(webhookUrl) && (!hasSecret || rotate);
}

/** The JSON a receiver gets for one delivery. */
export function webhookPayload(d: {
  id: string;
  event: string;
  tenantId: string;
  createdAt: Date;
  data: Record<string, unknown>;
}) {
  return {
    id: d.id,
    event: d.event,
    tenantId: d.tenantId,
    createdAt: d.createdAt.toISOString(),
    data: d.data,
  };
}

/** Every address `host` resolves to (an IP literal is its own answer). */
export async function resolveHost(host: string): Promise<string[]> {
  const plain = host.replace(/^\[|\]$/g, '');
  if (isIP(plain)) return [plain];
  return (await lookup(plain, { all: true, verbatim: true })).map((a) => a.address);
}

/**
 * A webhook URL must be https and resolve only to public addresses; ALLOW_HTTP_WEBHOOKS=1 (local testing) lifts
 * both. Checked when the URL is saved and again before every delivery. Returns the address the delivery must
 * connect to (pinned: the connection never resolves the name again, so DNS rebinding between this check and
 * the connection cannot reach a private address). Throws VALIDATION_FAILED naming the reason.
 */
export async function resolveWebhookTarget(
  url: string,
  allowLocal: boolean,
  resolve: (host: string) => Promise<string[]> = resolveHost,
  path = 'body.webhookUrl',
): Promise<{ address: string | null }> {
  const refuse = (message: string) =>
    new AppError('VALIDATION_FAILED', `the webhook URL ${message}`, {
      errors: [{ path, message }],
    });
  const parsed = new URL(url);
  if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && allowLocal))) {
    throw refuse('must use https');
  }
  if (allowLocal) return { address: null };
  const addresses = await resolve(parsed.hostname).catch(() => [] as string[]);
  if (!addresses.length) throw refuse(`host ${parsed.hostname} does not resolve`);
  const local = addresses.find(isNonPublicAddress);
  if (local) throw refuse(`host ${parsed.hostname} resolves to a private, loopback or link-local address`);
  return { address: addresses[0]! };
}

/** The same check, for callers that only need the refusal (saving a URL). */
export async function assertWebhookTarget(
  url: string,
  allowLocal: boolean,
  resolve: (host: string) => Promise<string[]> = resolveHost,
  path = 'body.webhookUrl',
): Promise<void> {
  await resolveWebhookTarget(url, allowLocal, resolve, path);
}
