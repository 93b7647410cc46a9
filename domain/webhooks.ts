// Tenant webhook rules shared by the API and the delivery activity: event names, signatures, secret at rest.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** The events a tenant can subscribe to (API.md, tenant notification settings). */
export const TENANT_EVENTS = [
  'transfer.completed',
  'transfer.failed',
  'partner.activated',
  'partner.failed',
  'onboarding.completed',
  'member.invited',
] as const;

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
