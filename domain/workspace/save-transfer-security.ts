// Command: replace the workspace's transfer security (approval thresholds per currency, step-up MFA), validated
// (known currencies, each once, positive amounts), in one transaction with its audit row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import {
  saveTransferSecurity as writeSettings,
  type TransferSecurityRow,
} from '../../db/store/transfer-security';
import { findTransferSecurity } from '../../db/store/transfer-security';
import { AppError } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { thresholdProblems } from '../transfers/approval';

export interface TransferSecurityInput {
  approvalThresholds: { currency: string; amount: number }[];
  stepUpMfa: boolean;
}

export async function saveTransferSecurity(
  em: EntityManager,
  input: TransferSecurityInput,
  actor: Actor,
): Promise<TransferSecurityRow> {
  const problems = thresholdProblems(input.approvalThresholds);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'the approval thresholds are not valid', { errors: problems });
  }
  const approvalThresholds = [...input.approvalThresholds]
    .sort((a, b) => a.currency.localeCompare(b.currency))
    .map((t) => ({ currency: t.currency, amount: BigInt(t.amount) }));
  return em.fork().transactional(async (tx) => {
    const before = await findTransferSecurity(tx, actor.workspaceId, { lock: true });
    await writeSettings(tx, actor.workspaceId, {
      approvalThresholds,
      stepUpMfa: input.stepUpMfa,
      updatedBy: actor.userId,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'workspace.transfer_security.updated',
        { type: 'workspace', id: actor.workspaceId },
        {
          approvalThresholds: approvalThresholds.map((t) => ({
            currency: t.currency,
            amount: t.amount.toString(),
          })),
          stepUpMfa: input.stepUpMfa,
          before: {
            approvalThresholds: before.approvalThresholds.map((t) => ({
              currency: t.currency,
              amount: t.amount.toString(),
            })),
            stepUpMfa: before.stepUpMfa,
          },
        },
      ),
    );
    return findTransferSecurity(tx, actor.workspaceId);
  });
}
