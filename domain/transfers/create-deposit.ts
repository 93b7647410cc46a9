// Command: credit a partner's wallet from the tenant's funding account, once per Idempotency-Key, posted at once
// in one transaction with the deposit row and its audit row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { claimIdempotencyRecord } from '../../db/store/idempotency';
import { ensureSystemAccount, postImmediately, SYSTEM_ACCOUNTS } from '../../db/store/ledger';
import { recordAudit } from '../../db/store/audit';
import { findDeposit, findWallet, insertDeposit, type DepositRow } from '../../db/store/wallets';
import { AppError } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { depositIdFor, requestFingerprint } from '../ledger';
import { assertSameRequest } from './same-request';

export interface DepositInput {
  walletId: string;
  key: string;
  amount: bigint;
  reference: string | null;
}

export async function createDeposit(
  em: EntityManager,
  input: DepositInput,
  actor: Actor,
): Promise<DepositRow> {
  const tenantId = actor.tenantId;
  const wallet = await findWallet(em, input.walletId, { tenantId });
  if (!wallet) throw new AppError('NOT_FOUND', 'wallet not found');
  const depositId = depositIdFor(tenantId, input.key);
  const funding = await ensureSystemAccount(
    em.fork(),
    tenantId,
    wallet.currency,
    SYSTEM_ACCOUNTS.FUNDING,
    depositId,
  );
  const fingerprinted = { walletId: wallet.id, amount: Number(input.amount), reference: input.reference };
  const description = input.reference ? `Deposit ${input.reference}` : 'Deposit';
  return em.transactional(async (tx) => {
    const claimed = await claimIdempotencyRecord(tx, {
      scope: `deposits:${tenantId}`,
      key: input.key,
      fingerprint: requestFingerprint(fingerprinted),
      resourceId: depositId,
    });
    assertSameRequest(claimed, fingerprinted);
    const existing = await findDeposit(tx, depositId);
    if (existing) return existing;
    await insertDeposit(tx, {
      id: depositId,
      tenantId,
      walletId: wallet.id,
      amount: input.amount,
      currency: wallet.currency,
      reference: input.reference,
      createdBy: actor.userId,
    });
    await postImmediately(tx, {
      tenantId,
      currency: wallet.currency,
      operationId: `deposit-${depositId}`,
      step: 'post',
      description,
      depositId,
      legs: [{ debit: funding, credit: wallet.accountId, amount: input.amount, description }],
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'wallet.deposit',
        { type: 'wallet', id: wallet.id },
        { depositId, amount: Number(input.amount), currency: wallet.currency, reference: input.reference },
      ),
    );
    return (await findDeposit(tx, depositId))!;
  });
}
