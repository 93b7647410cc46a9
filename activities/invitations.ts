// Invitation activities: issue a token and mail it (the token never leaves this activity), expire.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { digest, newToken } from '../domain/tokens';
import { expireInvitation } from '../domain/identity/expire-invitation';
import { INVITATION_ROW_GRACE_MS, type InvitationMailOutcome } from '../domain/identity/invitation-contract';
import { issueInvitationToken } from '../domain/identity/issue-invitation-token';
import { inTransaction, type ActivityDeps } from './deps';
import { dispatchMail, linkMessage, mailAlreadySent, portalLink, recordMail } from './email';

export function invitationActivities(deps: ActivityDeps) {
  return {
    /**
     * Issues a fresh token for a PENDING invitation (its digest replaces the previous one, killing it),
     * optionally renews the expiry, and mails the link. Idempotent per key. Nothing to compensate.
     * The API starts the workflow before it commits the row: a row not visible yet is retried, one still
     * missing after INVITATION_ROW_GRACE_MS was never committed (GONE).
     */
    async sendInvitationMail(input: {
      key: string;
      invitationId: string;
      renewTtlMs?: number;
    }): Promise<InvitationMailOutcome> {
      if (await mailAlreadySent(deps, input.key)) return 'SENT';
      const token = newToken();
      const issued = await issueInvitationToken(deps.orm.em.fork(), {
        invitationId: input.invitationId,
        tokenHash: digest(token),
        renewTtlMs: input.renewTtlMs,
      });
      if (issued.kind === 'missing') {
        if (Date.now() - Context.current().info.scheduledTimestampMs >= INVITATION_ROW_GRACE_MS)
          return 'GONE';
        throw ApplicationFailure.retryable('the invitation is not visible yet', 'NOT_FOUND');
      }
      if (issued.kind === 'not-pending') return 'NOT_PENDING';
      const message = linkMessage(
        input.key,
        issued.email,
        `You are invited to ${issued.workspaceName}`,
        [
          `${issued.inviterName ?? 'An administrator'} invited you to join ${issued.workspaceName} as ${issued.roleName}.`,
          'Open the link below to accept the invitation. It can be used once.',
        ],
        { label: 'Accept the invitation', url: portalLink(deps.config, '/accept-invitation', token) },
      );
      await inTransaction(deps, (em) => recordMail(em, deps.config, message));
      await dispatchMail(deps, message);
      return 'SENT';
    },

    /** Marks a still-PENDING invitation EXPIRED (its token dies with it); returns the final status. */
    async expireInvitation(input: { key: string; invitationId: string }): Promise<string> {
      return expireInvitation(deps.orm.em.fork(), { invitationId: input.invitationId });
    },
  };
}
