// A transfer as the API shows it (api/render/transfers.ts) and as its events carry it (`data`).
import type { TransferRow } from '../../db/store/transfers';
import { toApiAmount } from '../money';
import { transferWorkflowId } from './contract';
import type { TRANSFER_STATUSES } from './index';

export function transferView(t: TransferRow) {
  return {
    id: t.id,
    status: t.status as (typeof TRANSFER_STATUSES)[number],
    sourceWalletId: t.sourceWalletId,
    destination: t.destination,
    amount: toApiAmount(t.amount),
    fee: toApiAmount(t.fee),
    currency: t.currency,
    reference: t.reference,
    memo: t.memo,
    failureCode: t.failureCode,
    failureMessage: t.failureMessage,
    /** The Temporal workflow that runs it (operators find it in the UI by this ID). */
    workflowId: transferWorkflowId(t.id),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    completedAt: t.completedAt?.toISOString() ?? null,
  };
}
