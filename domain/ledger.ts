// Pure rules of money movement shared by the API and activities: deterministic IDs and request fingerprints.
// The transfer workflow's contract lives in domain/transfers/contract.ts.
import { createHash } from 'node:crypto';

/** A UUID (version 8, name-based on SHA-256) that is always the same for the same parts. */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('\u001f')).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The deposit a tenant's Idempotency-Key stands for. Keyed by (tenant, key) only: the key's scope is the tenant,
 * and a different wallet under the same key is the same key reused (409), never a second deposit.
 */
export function depositIdFor(tenantId: string, idempotencyKey: string): string {
  return deterministicUuid('deposit', tenantId, idempotencyKey);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** SHA-256 of the request body with its keys sorted: the same body always has the same fingerprint. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}
