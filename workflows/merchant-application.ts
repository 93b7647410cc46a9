// One merchant application (`merchant-application-<id>`): records the application (SUBMITTED), then waits for
// the tenant's decision, an approve or reject Update that answers the decider with the application (a second
// decision is refused: CONFLICT). Undecided after the reminder delay, the tenant's admins get a reminder mail;
// after the TTL the application ends EXPIRED. A rejection mails the applicant. An approval provisions the
// merchant as a saga over the workspace steps shared with the other provisionings: MERCHANT workspace with the
// system roles, the applicant as its not yet activated admin, one wallet per currency, the activation invitation
// (a child invitation workflow), then ACTIVE. Compensation: every created piece is removed again (each undo is
// registered before its step) and the merchant ends FAILED with the reason; the decision itself stands.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  applicationRecordedUpdate,
  applicationTimeline,
  approveApplicationUpdate,
  rejectApplicationUpdate,
  type MerchantApplicationInput,
  type MerchantApplicationResult,
  type MerchantDecider,
  type MerchantStatus,
} from '../domain/merchants/contract';
import { ADMIN_ROLE_NAME, SYSTEM_ROLES } from '../domain/permissions';
import { failureReason } from './failure-reason';
import { invitationStep, recordedGate, runSaga } from './owner-saga';
import { COMPENSATION, DB_WRITE, EXTERNAL_CALL } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const undo = proxyActivities<Activities>(COMPENSATION);
const mail = proxyActivities<Activities>(EXTERNAL_CALL);

type Decision =
  | { kind: 'APPROVED'; merchantId: string; decider: MerchantDecider }
  | { kind: 'REJECTED'; decider: MerchantDecider };

export async function merchantApplicationWorkflow(
  input: MerchantApplicationInput,
): Promise<MerchantApplicationResult> {
  const key = workflowInfo().workflowId;
  const { applicationId, tenantId } = input;
  const recorded = recordedGate(applicationRecordedUpdate);
  /** A decision being written (an update in flight), the one written, and whether the lifetime is over. */
  let pending = false;
  let decided: Decision | null = null;
  let expired = false;

  const refuseSecondDecision = () => {
    if (pending || decided || expired) {
      throw ApplicationFailure.create({
        type: 'CONFLICT',
        message: 'the application is already decided or expired',
        nonRetryable: true,
      });
    }
  };
  setHandler(
    approveApplicationUpdate,
    async (decider) => {
      pending = true;
      const merchantId = uuid4();
      try {
        const view = await act.decideMerchantApplication({
          key: `${key}:decide`,
          tenantId,
          applicationId,
          decision: { kind: 'APPROVED', merchantId },
          decider,
        });
        decided = { kind: 'APPROVED', merchantId, decider };
        return view;
      } finally {
        pending = false;
      }
    },
    { validator: (_decider: MerchantDecider) => refuseSecondDecision() },
  );
  setHandler(
    rejectApplicationUpdate,
    async ({ reason, ...decider }) => {
      pending = true;
      try {
        const view = await act.decideMerchantApplication({
          key: `${key}:decide`,
          tenantId,
          applicationId,
          decision: { kind: 'REJECTED', reason },
          decider,
        });
        decided = { kind: 'REJECTED', decider };
        return view;
      } finally {
        pending = false;
      }
    },
    { validator: (_decision: MerchantDecider & { reason: string }) => refuseSecondDecision() },
  );

  await recorded(
    act.recordMerchantApplication({
      key: `${key}:record`,
      applicationId,
      tenantId,
      application: input.application,
      origin: input.origin,
    }),
  );

  const { reminderAtMs, expireAtMs } = applicationTimeline(input.ttlMs, input.reminderMs);
  let reminderDue = false;
  let reminded = false;
  if (reminderAtMs !== null) void sleep(reminderAtMs).then(() => (reminderDue = true));
  void sleep(expireAtMs).then(() => (expired = true));
  while (!decided) {
    if (pending) {
      await condition(() => !pending);
      continue;
    }
    if (expired) break;
    if (reminderDue && !reminded) {
      reminded = true;
      await mail.remindMerchantApplication({ key: `${key}:reminder`, tenantId, applicationId });
      continue;
    }
    await condition(() => pending || decided !== null || expired || (reminderDue && !reminded));
  }

  const decision = decided as Decision | null;
  let result: MerchantApplicationResult;
  if (!decision) {
    await act.expireMerchantApplication({ key: `${key}:expire`, tenantId, applicationId });
    result = { status: 'EXPIRED', merchantId: null, merchantStatus: null };
  } else if (decision.kind === 'REJECTED') {
    await mail.mailMerchantApplicationRejected({ key: `${key}:rejected-mail`, tenantId, applicationId });
    result = { status: 'REJECTED', merchantId: null, merchantStatus: null };
  } else {
    const merchantStatus = await provisionMerchant(key, input, decision.merchantId, decision.decider);
    result = { status: 'APPROVED', merchantId: decision.merchantId, merchantStatus };
  }
  await condition(allHandlersFinished);
  markStatus(result.merchantStatus === 'FAILED' ? 'PROVISIONING_FAILED' : result.status);
  return result;
}

/** The approved merchant's provisioning saga (see the file comment); answers ACTIVE or FAILED. */
async function provisionMerchant(
  key: string,
  input: MerchantApplicationInput,
  merchantId: string,
  decider: MerchantDecider,
): Promise<MerchantStatus> {
  const { tenantId, application } = input;
  // Every ID is chosen up front (deterministically: uuid4 replays the same), so retried steps never create twice.
  const workspaceId = uuid4();
  const roleIds = Object.fromEntries(SYSTEM_ROLES.map((r) => [r.name, uuid4()]));
  const admin = { userId: uuid4(), membershipId: uuid4() };
  const wallets = application.currencies.map((currency) => ({ id: uuid4(), currency }));
  const invitationId = uuid4();
  const adminRoleId = roleIds[ADMIN_ROLE_NAME]!;
  try {
    await runSaga(
      [
        {
          undo: () => undo.discardWorkspace({ key: `${key}:discard-workspace`, workspaceId }),
          run: () =>
            act.createWorkspace({
              key: `${key}:workspace`,
              tenantId,
              workspaceId,
              kind: 'MERCHANT',
              name: application.businessName,
              roleIds,
            }),
        },
        {
          undo: () => undo.discardProvisionedUser({ key: `${key}:discard-admin`, userId: admin.userId }),
          run: () =>
            act.createWorkspaceAdmin({
              key: `${key}:admin`,
              tenantId,
              workspaceId,
              roleId: adminRoleId,
              ...admin,
              email: application.email,
              name: application.contactName,
              via: 'merchant-provisioning',
            }),
        },
        {
          undo: () =>
            undo.discardWorkspaceWallets({
              key: `${key}:discard-wallets`,
              walletIds: wallets.map((w) => w.id),
            }),
          run: () =>
            act.openWorkspaceWallets({
              key: `${key}:wallets`,
              tenantId,
              workspaceId,
              ownerName: application.businessName,
              wallets,
            }),
        },
        invitationStep(
          {
            key,
            tenantId,
            workspaceId,
            invitationId,
            email: application.email,
            roleId: adminRoleId,
            invitedBy: decider.userId,
            ttlMs: input.invitationTtlMs,
          },
          { create: act.createActivationInvitation, revoke: undo.revokeActivationInvitation },
        ),
        {
          run: () =>
            act.activateMerchant({
              key: `${key}:activate`,
              tenantId,
              merchantId,
              workspaceId,
              adminUserId: admin.userId,
            }),
        },
      ],
      {
        settle: (err) =>
          undo.failMerchantProvisioning({
            key: `${key}:fail`,
            tenantId,
            merchantId,
            reason: failureReason(err),
          }),
      },
    );
    return 'ACTIVE';
  } catch {
    return 'FAILED';
  }
}
