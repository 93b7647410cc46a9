// The HTTP shapes of wallets and deposits, shared by the partner and tenant routes.
import type { DepositRow } from '../../db/store/wallets';
import { toApiAmount } from '../../domain/money';
import { walletView } from '../../domain/transfers/wallet-view';
import { z } from '../openapi';

export const WalletDetail = z
  .object({
    id: z.uuid(),
    currency: z.string(),
    name: z.string(),
    status: z.string(),
    limits: z.object({ perTransfer: z.number().int().nullable(), daily: z.number().int().nullable() }),
    createdAt: z.string(),
  })
  .openapi('Wallet');

/** The Wallet answer: the same view the audit log records. */
export const walletJson = walletView;

export function depositJson(d: DepositRow) {
  return {
    id: d.id,
    walletId: d.walletId,
    amount: toApiAmount(d.amount),
    currency: d.currency,
    reference: d.reference,
    createdAt: d.createdAt.toISOString(),
  };
}
