// The transfer_security table (a workspace's approval thresholds and step-up setting) and the approver lookup:
// the only module that touches that table.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApprovalThreshold } from '../../domain/transfers/approval';

export interface TransferSecurityRow {
  approvalThresholds: ApprovalThreshold[];
  stepUpMfa: boolean;
  updatedAt: Date | null;
}

const NONE: TransferSecurityRow = { approvalThresholds: [], stepUpMfa: false, updatedAt: null };

/** The workspace's settings; a workspace that never saved any has no thresholds and no step-up. */
export async function findTransferSecurity(
  em: EntityManager,
  workspaceId: string,
  options: { lock?: boolean } = {},
): Promise<TransferSecurityRow> {
  const [row] = await em.execute<
    {
      approval_thresholds: { currency: string; amount: string }[];
      step_up_mfa: boolean;
      updated_at: string;
    }[]
  >(
    `select approval_thresholds, step_up_mfa, updated_at from transfer_security where workspace_id = ?${
      options.lock ? ' for update' : ''
    }`,
    [workspaceId],
  );
  if (!row) return NONE;
  return {
    approvalThresholds: row.approval_thresholds.map((t) => ({
      currency: t.currency,
      amount: BigInt(t.amount),
    })),
    stepUpMfa: row.step_up_mfa,
    updatedAt: new Date(row.updated_at),
  };
}

/** Creates or replaces the workspace's settings (inside the caller's transaction). */
export async function saveTransferSecurity(
  em: EntityManager,
  workspaceId: string,
  values: { approvalThresholds: ApprovalThreshold[]; stepUpMfa: boolean; updatedBy: string | null },
): Promise<void> {
  const now = new Date();
  await em.execute(
    `insert into transfer_security (workspace_id, approval_thresholds, step_up_mfa, updated_by, updated_at)
     values (?, ?::jsonb, ?, ?, ?)
     on conflict (workspace_id) do update
       set approval_thresholds = excluded.approval_thresholds, step_up_mfa = excluded.step_up_mfa,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [
      workspaceId,
      JSON.stringify(
        values.approvalThresholds.map((t) => ({ currency: t.currency, amount: t.amount.toString() })),
      ),
      values.stepUpMfa,
      values.updatedBy,
      now,
    ],
  );
}

export interface Approver {
  userId: string;
  name: string;
  email: string;
}

/** Active members of the workspace whose role holds payout.approve, except `exceptUserId` (the initiator). */
export async function listApprovers(
  em: EntityManager,
  workspaceId: string,
  exceptUserId: string | null,
): Promise<Approver[]> {
  const rows = await em.execute<{ id: string; name: string; email: string }[]>(
    `select u.id, u.name, coalesce(u.contact_email, u.login_email) as email
       from membership m join role r on r.id = m.role_id join app_user u on u.id = m.user_id
      where m.workspace_id = ? and m.status = 'ACTIVE' and 'payout.approve' = any(r.permissions)
        and u.id is distinct from ?::uuid
      order by u.id`,
    [workspaceId, exceptUserId],
  );
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email }));
}
