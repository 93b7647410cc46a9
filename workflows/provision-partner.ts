// Provisions a partner (`partner-provisioning-<id>`): record, PARTNER workspace with system roles, inactive admin with
// the Admin membership, one wallet per currency, referral code, the admin's activation invitation (a child
// workflow), then ACTIVE. Compensation: every created piece is removed again and the partner ends FAILED with the
// reason, so a failed provisioning leaves no orphan rows. The saga's blocks are the workspace owners' (owner-saga.ts).
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  partnerRecordedUpdate,
  type ProvisionPartnerInput,
  type ProvisionPartnerResult,
} from '../domain/partners/contract';
import { failureReason } from './failure-reason';
import { invitationStep, recordedGate, runSaga } from './owner-saga';
import { COMPENSATION, DB_WRITE } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const undo = proxyActivities<Activities>(COMPENSATION);

export async function provisionPartnerWorkflow(
  input: ProvisionPartnerInput,
): Promise<ProvisionPartnerResult> {
  const key = workflowInfo().workflowId;
  const { partnerId, tenantId, workspaceId, batchRow } = input;
  const recorded = recordedGate(partnerRecordedUpdate);
  let referralCode = '';
  await runSaga(
    [
      {
        run: () =>
          recorded(
            act.createPartnerRecord({
              key: `${key}:record`,
              partnerId,
              tenantId,
              name: input.name,
              adminEmail: input.admin.email,
              adminName: input.admin.name,
              currencies: input.wallets.map((w) => w.currency),
              actorUserId: input.actorUserId,
              batchRow,
              origin: input.origin,
            }),
          ),
      },
      {
        undo: () => undo.discardPartnerWorkspace({ key: `${key}:discard-workspace`, partnerId, workspaceId }),
        run: () =>
          act.createPartnerWorkspace({
            key: `${key}:workspace`,
            partnerId,
            tenantId,
            workspaceId,
            name: input.name,
            roleIds: input.roleIds,
          }),
      },
      {
        undo: () => undo.discardProvisionedUser({ key: `${key}:discard-admin`, userId: input.admin.userId }),
        run: () =>
          act.createPartnerAdmin({
            key: `${key}:admin`,
            partnerId,
            tenantId,
            workspaceId,
            roleId: input.roleIds.Admin!,
            ...input.admin,
          }),
      },
      {
        undo: () =>
          undo.discardPartnerWallets({
            key: `${key}:discard-wallets`,
            walletIds: input.wallets.map((w) => w.id),
          }),
        run: () =>
          act.createPartnerWallets({
            key: `${key}:wallets`,
            tenantId,
            workspaceId,
            partnerName: input.name,
            wallets: input.wallets,
          }),
      },
      {
        undo: () =>
          undo.discardPartnerReferralCode({
            key: `${key}:discard-referral-code`,
            codeId: input.referralCode.id,
          }),
        run: async () => {
          referralCode = await act.assignPartnerReferralCode({
            key: `${key}:referral-code`,
            tenantId,
            partnerId,
            codeId: input.referralCode.id,
            code: input.referralCode.code,
          });
        },
      },
      invitationStep(
        {
          key,
          tenantId,
          workspaceId,
          invitationId: input.invitation.id,
          email: input.admin.email,
          roleId: input.roleIds.Admin!,
          invitedBy: input.actorUserId,
          ttlMs: input.invitation.ttlMs,
        },
        { create: act.createPartnerInvitation, revoke: undo.revokePartnerInvitation },
      ),
      { run: () => act.activatePartner({ key: `${key}:activate`, tenantId, partnerId, batchRow }) },
    ],
    {
      failing: () => markStatus('FAILED'),
      settle: (err) =>
        undo.failPartnerProvisioning({
          key: `${key}:fail`,
          tenantId,
          partnerId,
          reason: failureReason(err),
          batchRow,
        }),
    },
  );
  markStatus('COMPLETED');
  return { partnerId, workspaceId, referralCode };
}
