// One invitation (`invitation-<id>`): mail the first token, then wait for the API to report accept, decline or
// revoke (signal), for resends (update: a fresh token replaces the old one and the expiry restarts), or for
// expiry (a timer). No compensation: a mail cannot be unsent; every state change is one row update.
import {
  allHandlersFinished,
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { InvitationMailOutcome } from '../activities/invitations';
import { DB_WRITE, EXTERNAL_CALL } from './profiles';
import { markStatus } from './status';

export interface InvitationInput {
  invitationId: string;
  tenantId: string;
  workspaceId: string;
  ttlMs: number;
}

export type InvitationSettlement = 'ACCEPTED' | 'DECLINED' | 'REVOKED';

/** Sent by the API after it committed the invitation's new status. */
export const invitationSettledSignal = defineSignal<[{ status: InvitationSettlement }]>('invitationSettled');

/** Issues a fresh token (the old one stops working), renews the expiry and mails the new link. */
export const resendInvitationUpdate = defineUpdate<InvitationMailOutcome>('resendInvitation');

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

  await mail.sendInvitationMail({ key: `${key}:mail-0`, invitationId: input.invitationId });
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
