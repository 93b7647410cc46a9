// Command: claim a workspace's Idempotency-Key for a transfer request. The same key with the same body finds the
// same transfer (or the refusal it got); with a different body it is 409 IDEMPOTENCY_KEY_REUSED.
import type { EntityManager } from '@mikro-orm/postgresql';
import { claimIdempotencyRecord } from '../../db/store/idempotency';
import { findTransfer, type TransferRow } from '../../db/store/transfers';
import { AppError, isErrorCode } from '../errors';
import { requestFingerprint } from '../ledger';
import { transferIdFor } from './ids';
import { assertSameRequest } from './same-request';

/** The idempotency scope of a workspace's transfer requests. */
export const transferKeyScope = (workspaceId: string) => `transfers:${workspaceId}`;

/** A stored refusal code as the error it was answered with (a code outside our set is INTERNAL). */
export function transferRefusalError(code: string, message: string): AppError {
  return isErrorCode(code) ? new AppError(code, message) : new AppError('INTERNAL', message);
}

export type TransferClaim = { transferId: string; existing: TransferRow | null };

/** Claims the key; throws the refusal the same request got before. */
export async function claimTransferKey(
  em: EntityManager,
  input: { workspaceId: string; key: string; body: unknown },
): Promise<TransferClaim> {
  const transferId = transferIdFor(input.workspaceId, input.key);
  const claimed = await claimIdempotencyRecord(em, {
    scope: transferKeyScope(input.workspaceId),
    key: input.key,
    fingerprint: requestFingerprint(input.body),
    resourceId: transferId,
  });
  assertSameRequest(claimed, input.body);
  if (claimed.refusalCode) {
    throw transferRefusalError(claimed.refusalCode, claimed.refusalMessage ?? 'refused');
  }
  return { transferId, existing: await findTransfer(em, transferId, { workspaceId: input.workspaceId }) };
}
