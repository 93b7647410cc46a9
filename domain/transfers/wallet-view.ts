// A wallet as it is shown and audited: status, limits (amounts or null) and creation time.
import type { WalletRow } from '../../db/store/wallets';
import { toApiAmount } from '../money';

export function walletView(w: WalletRow) {
  return {
    id: w.id,
    currency: w.currency,
    name: w.name,
    status: w.status,
    limits: {
      perTransfer: w.limitPerTransfer === null ? null : toApiAmount(w.limitPerTransfer),
      daily: w.limitDaily === null ? null : toApiAmount(w.limitDaily),
    },
    createdAt: w.createdAt.toISOString(),
  };
}
