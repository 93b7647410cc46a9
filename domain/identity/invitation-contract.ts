// The invitation workflow's contract, shared by the API, the activities and the workflow: its ID, input,
// signal and update definitions, statuses and outcomes. No Node built-ins here: the workflow bundle imports it.
import { defineSignal, defineUpdate } from '@temporalio/workflow';

export const INVITATION_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'REVOKED', 'EXPIRED'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const invitationWorkflowId = (invitationId: string) => `invitation-${invitationId}`;

export interface InvitationInput {
  invitationId: string;
  tenantId: string;
  workspaceId: string;
  ttlMs: number;
  /** Set for invitations a member sent: the tenant is notified (`member.invited`) once the row exists. */
  announce?: { email: string; roleId: string };
}

/** How the API settled an invitation (it commits the status, then tells the workflow). */
export type InvitationSettlement = 'ACCEPTED' | 'DECLINED' | 'REVOKED';

/**
 * What a mail attempt found: SENT; NOT_PENDING (settled meanwhile); GONE (the invitation's row was never
 * committed, e.g. the API failed after starting the workflow: the workflow ends at once).
 */
export type InvitationMailOutcome = 'SENT' | 'NOT_PENDING' | 'GONE';

/** Sent by the API after it committed the invitation's new status. */
export const invitationSettledSignal = defineSignal<[{ status: InvitationSettlement }]>('invitationSettled');

/** Issues a fresh token (the old one stops working), renews the expiry and mails the new link. */
export const resendInvitationUpdate = defineUpdate<InvitationMailOutcome>('resendInvitation');

/** How long a workflow waits for its invitation's row to be committed before it ends as GONE. */
export const INVITATION_ROW_GRACE_MS = 60_000;
