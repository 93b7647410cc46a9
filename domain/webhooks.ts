// Tenant webhook rules shared by the API and the delivery activity: event names, signatures, secret at rest.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from './errors';
import { EVENT_TYPES } from './events/contract';
import { isNonPublicAddress } from './networks';

/** The events a tenant can subscribe to (API.md: every event type). */
export const TENANT_EVENTS = EVENT_TYPES;

export type TenantEvent = (typeof TENANT_EVENTS)[number];

export const SIGNATURE_HEADER = 'Portal-Signature';

/** Hex HMAC-SHA256 of `${timestamp}.${body}` with the tenant's webhook secret. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `Portal-Signature` header value: `t=<unix seconds>,v1=<hex>`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;
}

/** What a receiver does: parse the header, recompute, compare in constant time. */
export function verifySignature(secret: string, header: string, body: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return false;
  const expected = Buffer.from(signPayload(secret, timestamp, body));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
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
 * both. Checked when the URL is saved and again before every delivery (DNS may have changed since: rebinding).
 * Throws VALIDATION_FAILED naming the reason.
 */
export async function assertWebhookTarget(
  url: string,
  allowLocal: boolean,
  resolve: (host: string) => Promise<string[]> = resolveHost,
): Promise<void> {
  const refuse = (message: string) =>
    new AppError('VALIDATION_FAILED', `the webhook URL ${message}`, {
      errors: [{ path: 'body.webhookUrl', message }],
    });
  const parsed = new URL(url);
  if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && allowLocal))) {
    throw refuse('must use https');
  }
  if (allowLocal) return;
  const addresses = await resolve(parsed.hostname).catch(() => [] as string[]);
  if (!addresses.length) throw refuse(`host ${parsed.hostname} does not resolve`);
  const local = addresses.find(isNonPublicAddress);
  if (local) throw refuse(`host ${parsed.hostname} resolves to a private, loopback or link-local address`);
}
