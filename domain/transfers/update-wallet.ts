// Command: a tenant freezes or unfreezes a partner's wallet and sets its limits (null removes one), in one
// transaction with its audit row (wallet.frozen / wallet.unfrozen / wallet.updated, before and after).
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { findWallet, updateWalletFields, type WalletChanges, type WalletRow } from '../../db/store/wallets';
import { AppError } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { walletView } from './wallet-view';

function auditAction(before: WalletRow, changes: WalletChanges): string {
  if (!changes.status || changes.status === before.status) return 'wallet.updated';
  return changes.status === 'FROZEN' ? 'wallet.frozen' : 'wallet.unfrozen';
}

/** Applies `changes` to a wallet of the actor's tenant and returns it as it is afterwards. */
export async function updateWallet(
  em: EntityManager,
  input: { walletId: string; changes: WalletChanges },
  actor: Actor,
): Promise<WalletRow> {
  return em.transactional(async (tx) => {
    const scope = { tenantId: actor.tenantId };
    const before = await findWallet(tx, input.walletId, scope);
    if (!before) throw new AppError('NOT_FOUND', 'wallet not found');
    const changes = Object.fromEntries(
      Object.entries(input.changes).filter(([, v]) => v !== undefined),
    ) as WalletChanges;
    if (Object.keys(changes).length === 0) return before;
    await updateWalletFields(tx, input.walletId, changes);
    const after = (await findWallet(tx, input.walletId, scope))!;
    await recordAudit(
      tx,
      auditBy(
        actor,
        auditAction(before, changes),
        { type: 'wallet', id: input.walletId },
        {
          before: walletView(before),
          after: walletView(after),
        },
      ),
    );
    return after;
  });
}
