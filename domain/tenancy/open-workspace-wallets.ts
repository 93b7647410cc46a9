// Opens one wallet (with its ledger account) per currency for a workspace; idempotent by wallet IDs.
import type { EntityManager } from '@mikro-orm/postgresql';
import { openWallet } from '../../db/store/wallets';

export async function openWorkspaceWallets(
  em: EntityManager,
  input: {
    tenantId: string;
    workspaceId: string;
    /** Wallets are named "<owner> <currency>". */
    ownerName: string;
    wallets: { id: string; currency: string }[];
  },
): Promise<void> {
  await em.transactional(async (tx) => {
    for (const wallet of input.wallets) {
      await openWallet(tx, {
        id: wallet.id,
        tenantId: input.tenantId,
        workspaceId: input.workspaceId,
        currency: wallet.currency,
        name: `${input.ownerName} ${wallet.currency}`.slice(0, 200),
      });
    }
  });
}
