// Password-reset activities: issue the single-use token and mail it in one step, expire an unused reset.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { digest, newToken } from '../domain/tokens';
import { expirePasswordReset } from '../domain/identity/expire-password-reset';
import { issuePasswordResetToken } from '../domain/identity/issue-password-reset-token';
import {
  PASSWORD_RESET_ROW_GRACE_MS,
  type ResetMailOutcome,
} from '../domain/identity/password-reset-contract';
import { inTransaction, type ActivityDeps } from './deps';
import { dispatchMail, linkMessage, mailAlreadySent, portalLink, recordMail } from './email';

export function passwordResetActivities(deps: ActivityDeps) {
  return {
    /**
     * Issues the token of a PENDING reset (only its digest is stored) and mails the link to the user's
     * login email; a superseded or used reset gets no mail. Idempotent per key. Nothing to compensate.
     * The API starts the workflow before it commits the reset: a row not visible yet is retried, one still
     * missing after PASSWORD_RESET_ROW_GRACE_MS was never committed (GONE).
     */
    async sendPasswordResetMail(input: { key: string; resetId: string }): Promise<ResetMailOutcome> {
      if (await mailAlreadySent(deps, input.key)) return 'SENT';
      const token = newToken();
      const issued = await issuePasswordResetToken(deps.orm.em.fork(), {
        resetId: input.resetId,
        tokenHash: digest(token),
      });
      if (issued.kind === 'missing') {
        if (Date.now() - Context.current().info.scheduledTimestampMs >= PASSWORD_RESET_ROW_GRACE_MS)
          return 'GONE';
        throw ApplicationFailure.retryable('the reset is not visible yet', 'NOT_FOUND');
      }
      if (issued.kind === 'not-pending') return 'NOT_PENDING';
      const message = linkMessage(
        input.key,
        issued.loginEmail,
        'Reset your Payments Portal password',
        [
          `Hello ${issued.name},`,
          'Someone asked to reset the password of your account. If it was you, open the link below and choose a new password. The link works once and expires soon.',
          'If you did not ask for this, ignore this email: your password stays as it is.',
        ],
        { label: 'Choose a new password', url: portalLink(deps.config, '/reset-password', token) },
      );
      await inTransaction(deps, (em) => recordMail(em, deps.config, message));
      await dispatchMail(deps, message);
      return 'SENT';
    },

    /** Marks a still-PENDING reset EXPIRED and drops its token digest. */
    async expirePasswordReset(input: { key: string; resetId: string }): Promise<void> {
      await expirePasswordReset(deps.orm.em.fork(), { resetId: input.resetId });
    },
  };
}
