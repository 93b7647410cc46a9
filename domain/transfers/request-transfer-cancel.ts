// Command: mark a transfer cancel-requested if canCancel allows it, decided under the transfer's row lock (so a
// concurrent channel submission and a cancel can never both win), with its event and audit row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { findTransfer, markCancelRequested, recordTransferEvents } from '../../db/store/transfers';
import { AppError } from '../errors';
import { canCancel } from './cancel';

export async function requestTransferCancel(
  em: EntityManager,
  input: { key: string; transferId: string },
  actorUserId: string | null,
): Promise<void> {
  await em.fork().transactional(async (tx) => {
    const transfer = await findTransfer(tx, input.transferId, {}, true);
    const verdict = canCancel(transfer);
    if (!verdict.ok) throw new AppError('TRANSFER_NOT_CANCELLABLE', verdict.message);
    await markCancelRequested(tx, input.transferId);
    await recordTransferEvents(tx, input.transferId, [{ type: 'CANCEL_REQUESTED' }]);
    await recordAudit(tx, {
      tenantId: transfer!.tenantId,
      workspaceId: transfer!.workspaceId,
      actorUserId,
      action: 'transfer.cancel_requested',
      targetType: 'transfer',
      targetId: input.transferId,
      data: { key: input.key },
    });
  });
}
