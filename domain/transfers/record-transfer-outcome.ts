// The event of a transfer's end (transfer.completed / failed / cancelled), in the transaction that ended it.
// Keyed by transfer and outcome, so a retried step records it once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { findTransfer } from '../../db/store/transfers';
import type { EventType } from '../events/contract';
import { recordEvent } from '../events/record-event';
import { transferView } from './transfer-view';

const OUTCOME_EVENTS: Record<string, EventType> = {
  COMPLETED: 'transfer.completed',
  FAILED: 'transfer.failed',
  CANCELLED: 'transfer.cancelled',
};

export async function recordTransferOutcome(em: EntityManager, transferId: string): Promise<void> {
  const transfer = await findTransfer(em, transferId);
  const type = transfer && OUTCOME_EVENTS[transfer.status];
  if (!transfer || !type) return;
  await recordEvent(em, {
    type,
    tenantId: transfer.tenantId,
    workspaceId: transfer.workspaceId,
    data: transferView(transfer),
    key: `${type}:${transfer.id}`,
  });
}
