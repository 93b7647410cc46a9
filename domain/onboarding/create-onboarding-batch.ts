// Stores a bulk onboarding batch: every row checked (on its own, against earlier rows and existing accounts),
// valid rows PENDING, bad rows FAILED with their reasons, with the batch's audit row. The batch workflow was
// started before (see api/routes/tenant-onboarding.ts), so a failed start stores nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { emailsTaken } from '../identity/claim-email';
import { checkRows, failTakenEmails, storedRow } from './rows';
import { recordAudit } from '../../db/store/audit';
import { insertBatch } from '../../db/store/onboarding';
import { partnerAdminEmailsInUse } from '../../db/store/partners';

export async function createOnboardingBatch(
  em: EntityManager,
  input: { batchId: string; tenantId: string; workflowId: string; rows: readonly unknown[] },
  actor: Actor,
): Promise<{ total: number; invalid: number }> {
  const rows = checkRows(input.rows);
  const emails = rows.flatMap((r) => (r.valid ? [r.valid.adminEmail] : []));
  const users = await emailsTaken(em, emails);
  const partners = await partnerAdminEmailsInUse(em, emails);
  failTakenEmails(rows, new Set([...users, ...partners]));
  const invalid = rows.filter((r) => !r.valid).length;
  await em.transactional(async (tx) => {
    await insertBatch(tx, {
      id: input.batchId,
      tenantId: input.tenantId,
      workspaceId: actor.workspaceId,
      createdBy: actor.userId,
      rows: rows.map(storedRow),
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'onboarding.batch_created',
        { type: 'onboarding_batch', id: input.batchId },
        { total: rows.length, invalid, workflowId: input.workflowId },
      ),
    );
  });
  return { total: rows.length, invalid };
}
