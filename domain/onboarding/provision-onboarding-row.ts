// One batch row's partner, provisioned in one transaction from the same commands the partner saga runs step by
// step: the partner (PROVISIONING, its row RUNNING), PARTNER workspace with roles, inactive admin, wallets,
// referral code and the admin's activation invitation. A refusal rolls all of it back (nothing to compensate);
// a retry finds what an earlier try committed (every ID comes from the batch row). The partner becomes ACTIVE
// with settleOwnerProvisioning once its invitation workflow is started.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PendingOnboardingRow } from './contract';
import { onboardingRowIds, type RowIds } from './row-ids';
import { recordPartnerRequest } from '../partners/record-partner-request';
import { assignPartnerReferralCode } from '../referrals/assign-partner-referral-code';
import { ADMIN_ROLE_NAME } from '../permissions';
import { appointOwnerAdmin } from '../tenancy/appoint-owner-admin';
import { attachOwnerWorkspace } from '../tenancy/attach-owner-workspace';
import { createActivationInvitation } from '../tenancy/create-activation-invitation';
import { openWorkspaceWallets } from '../tenancy/open-workspace-wallets';

export interface OnboardingRowRequest {
  /** The batch workflow's key; each step's audit key is derived from it and the row. */
  key: string;
  batchId: string;
  tenantId: string;
  actorUserId: string | null;
  invitationTtlMs: number;
  row: PendingOnboardingRow;
}

export async function provisionOnboardingRow(
  em: EntityManager,
  input: OnboardingRowRequest,
): Promise<RowIds> {
  const { tenantId, row } = input;
  const ids = onboardingRowIds(input.batchId, row.rowNumber, row.input.currencies);
  const key = `${input.key}:row-${row.rowNumber}`;
  const owner = { kind: 'partner' as const, ownerId: ids.partnerId, tenantId, workspaceId: ids.workspaceId };
  const adminRoleId = ids.roleIds[ADMIN_ROLE_NAME]!;
  await em.transactional(async (tx) => {
    await recordPartnerRequest(tx, {
      key: `${key}:record`,
      partnerId: ids.partnerId,
      tenantId,
      name: row.input.name,
      adminEmail: row.input.adminEmail,
      adminName: row.input.adminName,
      currencies: row.input.currencies,
      actorUserId: input.actorUserId,
      batchRow: { batchId: input.batchId, rowNumber: row.rowNumber },
    });
    await attachOwnerWorkspace(tx, { ...owner, name: row.input.name, roleIds: ids.roleIds });
    await appointOwnerAdmin(tx, {
      ...owner,
      key: `${key}:admin`,
      roleId: adminRoleId,
      userId: ids.adminUserId,
      membershipId: ids.membershipId,
      email: row.input.adminEmail,
      name: row.input.adminName,
    });
    await openWorkspaceWallets(tx, { ...owner, ownerName: row.input.name, wallets: ids.wallets });
    await assignPartnerReferralCode(tx, {
      key: `${key}:referral-code`,
      tenantId,
      partnerId: ids.partnerId,
      codeId: ids.referralCodeId,
      code: null,
    });
    await createActivationInvitation(tx, {
      tenantId,
      workspaceId: ids.workspaceId,
      invitationId: ids.invitationId,
      email: row.input.adminEmail,
      roleId: adminRoleId,
      invitedBy: input.actorUserId,
      ttlMs: input.invitationTtlMs,
    });
  });
  return ids;
}
