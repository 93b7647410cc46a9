// Provisions a partner (`partner-provisioning-<id>`): record, PARTNER workspace with system roles, inactive admin with
// the Admin membership, one wallet per currency, referral code, the admin's activation invitation (a child
// workflow), then ACTIVE. Compensation: every created piece is removed again and the partner ends FAILED with the
// reason, so a failed provisioning leaves no orphan rows.
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  partnerRecordedUpdate,
  type ProvisionPartnerInput,
  type ProvisionPartnerResult,
} from '../domain/partners/contract';
import { failureReason } from './failure-reason';
import { invitationSettledSignal, invitationWorkflow } from './invitation';
import { COMPENSATION, DB_WRITE } from './profiles';
import { operationAttributes } from './search-attributes';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const undo = proxyActivities<Activities>(COMPENSATION);

export async function provisionPartnerWorkflow(
  input: ProvisionPartnerInput,
): Promise<ProvisionPartnerResult> {
  const key = workflowInfo().workflowId;
  const { partnerId, tenantId, workspaceId } = input;
  const compensations: (() => Promise<void>)[] = [];
  let recorded: { error?: unknown } | undefined;
  setHandler(partnerRecordedUpdate, async () => {
    await condition(() => recorded !== undefined);
    if (recorded?.error) throw recorded.error;
  });
  let referralCode: string;
  try {
    await act
      .createPartnerRecord({
        key: `${key}:record`,
        partnerId,
        tenantId,
        name: input.name,
        adminEmail: input.admin.email,
        adminName: input.admin.name,
        currencies: input.wallets.map((w) => w.currency),
        actorUserId: input.actorUserId,
        batchRow: input.batchRow,
        origin: input.origin,
      })
      .then(
        () => (recorded = {}),
        (error: unknown) => {
          recorded = { error };
          throw error;
        },
      );

    compensations.unshift(() =>
      undo.discardPartnerWorkspace({ key: `${key}:discard-workspace`, partnerId, workspaceId }),
    );
    await act.createPartnerWorkspace({
      key: `${key}:workspace`,
      partnerId,
      tenantId,
      workspaceId,
      name: input.name,
      roleIds: input.roleIds,
    });

    compensations.unshift(() =>
      undo.discardProvisionedUser({ key: `${key}:discard-admin`, userId: input.admin.userId }),
    );
    await act.createPartnerAdmin({
      key: `${key}:admin`,
      partnerId,
      tenantId,
      workspaceId,
      roleId: input.roleIds.Admin!,
      ...input.admin,
    });

    compensations.unshift(() =>
      undo.discardPartnerWallets({
        key: `${key}:discard-wallets`,
        walletIds: input.wallets.map((w) => w.id),
      }),
    );
    await act.createPartnerWallets({
      key: `${key}:wallets`,
      tenantId,
      workspaceId,
      partnerName: input.name,
      wallets: input.wallets,
    });

    compensations.unshift(() =>
      undo.discardPartnerReferralCode({ key: `${key}:discard-referral-code`, codeId: input.referralCode.id }),
    );
    referralCode = await act.assignPartnerReferralCode({
      key: `${key}:referral-code`,
      tenantId,
      partnerId,
      codeId: input.referralCode.id,
      code: input.referralCode.code,
    });

    let invitationStarted = false;
    compensations.unshift(() =>
      revokeInvitation(`${key}:revoke-invitation`, input.invitation.id, invitationStarted),
    );
    await act.createPartnerInvitation({
      key: `${key}:invitation`,
      tenantId,
      workspaceId,
      invitationId: input.invitation.id,
      email: input.admin.email,
      roleId: input.roleIds.Admin!,
      invitedBy: input.actorUserId,
      ttlMs: input.invitation.ttlMs,
    });
    await startChild(invitationWorkflow, {
      workflowId: `invitation-${input.invitation.id}`,
      args: [{ invitationId: input.invitation.id, tenantId, workspaceId, ttlMs: input.invitation.ttlMs }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: operationAttributes(tenantId, workspaceId),
    });
    invitationStarted = true;

    await act.activatePartner({ key: `${key}:activate`, tenantId, partnerId, batchRow: input.batchRow });
  } catch (err) {
    markStatus('FAILED');
    await CancellationScope.nonCancellable(async () => {
      for (const compensate of compensations) await compensate();
      await undo.failPartnerProvisioning({
        key: `${key}:fail`,
        tenantId,
        partnerId,
        reason: failureReason(err),
        batchRow: input.batchRow,
      });
    });
    throw err;
  }
  markStatus('COMPLETED');
  return { partnerId, workspaceId, referralCode };
}

/** Compensation of the invitation step: revoke the row, then tell the invitation workflow if it was started. */
async function revokeInvitation(key: string, invitationId: string, started: boolean): Promise<void> {
  await undo.revokePartnerInvitation({ key, invitationId });
  if (!started) return;
  await getExternalWorkflowHandle(`invitation-${invitationId}`).signal(invitationSettledSignal, {
    status: 'REVOKED',
  });
}
