// Pure rules of money movement shared by the API and activities: deterministic IDs, request fingerprints,
// transfer statuses and refusal codes.
import { createHash } from 'node:crypto';

export const TRANSFER_STATUSES = ['PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** Codes a transfer is refused with (422, nothing held). */
export const TRANSFER_REFUSALS = [
  'INSUFFICIENT_FUNDS',
  'WALLET_NOT_ACTIVE',
  'CURRENCY_MISMATCH',
  'LIMIT_EXCEEDED',
  'CHANNEL_UNAVAILABLE',
  'DESTINATION_NOT_FOUND',
] as const;
export type TransferRefusal = (typeof TRANSFER_REFUSALS)[number];

/** Failure codes of a transfer that was accepted and then failed (its hold released). */
export type TransferFailureCode = 'CHANNEL_REJECTED' | 'CHANNEL_TIMEOUT' | 'CHANNEL_UNAVAILABLE';

/** A UUID (version 8, name-based on SHA-256) that is always the same for the same parts. */
export function deterministicUuid(...parts: string[]): string {
  const hash = createHash('sha256').update(parts.join('\u001f')).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The transfer a workspace's Idempotency-Key stands for (so repeated requests find the same workflow). */
export function transferIdFor(workspaceId: string, idempotencyKey: string): string {
  return deterministicUuid('transfer', workspaceId, idempotencyKey);
}

export function depositIdFor(tenantId: string, walletId: string, idempotencyKey: string): string {
  return deterministicUuid('deposit', tenantId, walletId, idempotencyKey);
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

export const TRANSFER_WORKFLOW_PREFIX = 'transfer-';
export const transferWorkflowId = (transferId: string) => `${TRANSFER_WORKFLOW_PREFIX}${transferId}`;

export interface Beneficiary {
  name: string;
  accountNumber: string;
  bankCode?: string;
}

export type TransferDestination =
  | { type: 'WALLET'; walletId: string }
  | { type: 'CHANNEL'; channelProductCode: string; beneficiary: Beneficiary };

/** What the API hands the transfer workflow (no secrets; amounts as decimal strings of minor units). */
export interface TransferRequest {
  transferId: string;
  tenantId: string;
  workspaceId: string;
  actorUserId: string | null;
  sourceWalletId: string;
  amount: string;
  currency: string;
  destination: TransferDestination;
  reference: string | null;
  memo: string | null;
  idempotencyKey: string;
}

/** INTERNAL settles on the book at once; EXTERNAL goes through a channel adapter. */
export type TransferRoute = 'INTERNAL' | 'EXTERNAL';

export const INTERNAL_CHANNEL_CODE = 'INTERNAL';
