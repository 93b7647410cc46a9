// One invitation (`invitation-<id>`): mail the first token (or end as GONE when the API never committed the
// row after starting this workflow), then wait for the API to report accept, decline or revoke (signal), for
// resends (update: a fresh token replaces the old one and the expiry restarts), or for expiry (a timer).
// No compensation: a mail cannot be unsent; every state change is one row update.
import {
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  invitationSettledSignal,
  resendInvitationUpdate,
  type InvitationInput,
} from '../domain/identity/invitation-contract';
import { DB_WRITE, EXTERNAL_CALL } from './profiles';
import { markStatus } from './status';

export { invitationSettledSignal };

const act = proxyActivities<Activities>(DB_WRITE);
const mail = proxyActivities<Activities>(EXTERNAL_CALL);

export async function invitationWorkflow(input: InvitationInput): Promise<string> {
  const key = workflowInfo().workflowId;
  let outcome: string | null = null;
  let mailsIssued = 0;
  let renewals = 0;

  setHandler(invitationSettledSignal, ({ status }) => {
    outcome ??= status;
  });
  setHandler(
    resendInvitationUpdate,
    async () => {
      mailsIssued += 1;
      const result = await mail.sendInvitationMail({
        key: `${key}:mail-${mailsIssued}`,
        invitationId: input.invitationId,
        renewTtlMs: input.ttlMs,
      });
      if (result === 'SENT') renewals += 1;
      return result;
    },
    {
      validator: () => {
        if (outcome !== null) throw new Error(`the invitation is already ${outcome}`);
      },
    },
  );

  const first = await mail.sendInvitationMail({ key: `${key}:mail-0`, invitationId: input.invitationId });
  if (first === 'GONE') outcome ??= 'GONE';
  else if (input.announce) {
    // Best effort, as every tenant notification: its failure never fails the invitation.
    await act
      .notifyTenant({
        key: `${key}-created`,
        tenantId: input.tenantId,
        event: 'member.invited',
        data: { invitationId: input.invitationId, workspaceId: input.workspaceId, ...input.announce },
      })
      .catch(() => undefined);
  }
  while (outcome === null) {
    const seen = renewals;
    const woken = await condition(() => outcome !== null || renewals !== seen, input.ttlMs);
    if (!woken) {
      outcome = await act.expireInvitation({ key: `${key}:expire`, invitationId: input.invitationId });
    }
  }
  await condition(allHandlersFinished);
  markStatus(outcome);
  return outcome;
}
