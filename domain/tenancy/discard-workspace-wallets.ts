// Compensation of openWorkspaceWallets: removes the (still empty) wallets and their ledger accounts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { discardOpenedWallets } from '../../db/store/wallets';

export async function discardWorkspaceWallets(em: EntityManager, walletIds: string[]): Promise<void> {
  await em.transactional((tx) => discardOpenedWallets(tx, walletIds));
}
