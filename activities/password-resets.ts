// Password-reset activities: issue the single-use token and mail it in one step, expire an unused reset.
import { ApplicationFailure } from '@temporalio/activity';
import { digest, newToken } from '../api/auth/tokens';
import { inTransaction, type ActivityDeps } from './deps';
import { dispatchMail, linkMessage, mailAlreadySent, portalLink, recordMail } from './email';

export type ResetMailOutcome = 'SENT' | 'NOT_PENDING';

export function passwordResetActivities(deps: ActivityDeps) {
  return {
    /**
     * Issues the token of a PENDING reset (only its digest is stored) and mails the link to the user's
     * login email; a superseded or used reset gets no mail. Idempotent per key. Nothing to compensate.
     */
    async sendPasswordResetMail(input: { key: string; resetId: string }): Promise<ResetMailOutcome> {
      if (await mailAlreadySent(deps, input.key)) return 'SENT';
      const token = newToken();
      const message = await inTransaction(deps, async (em) => {
        const [row] = await em.execute<{ status: string; login_email: string; name: string }[]>(
          `select pr.status, u.login_email, u.name
             from password_reset pr join app_user u on u.id = pr.user_id
            where pr.id = ? for update of pr`,
          [input.resetId],
        );
        if (!row) throw ApplicationFailure.retryable('the reset is not visible yet', 'NOT_FOUND');
        if (row.status !== 'PENDING') return null;
        await em.execute('update password_reset set token_hash = ? where id = ?', [
          digest(token),
          input.resetId,
        ]);
        const mail = linkMessage(
          input.key,
          row.login_email,
          'Reset your Payments Portal password',
          [
            `Hello ${row.name},`,
            'Someone asked to reset the password of your account. If it was you, open the link below and choose a new password. The link works once and expires soon.',
            'If you did not ask for this, ignore this email: your password stays as it is.',
          ],
          { label: 'Choose a new password', url: portalLink(deps.config, '/reset-password', token) },
        );
        await recordMail(em, deps.config, mail);
        return mail;
      });
      if (!message) return 'NOT_PENDING';
      await dispatchMail(deps, message);
      return 'SENT';
    },

    /** Marks a still-PENDING reset EXPIRED and drops its token digest. */
    async expirePasswordReset(input: { key: string; resetId: string }): Promise<void> {
      await inTransaction(deps, (em) =>
        em.execute(
          `update password_reset set status = 'EXPIRED', token_hash = null where id = ? and status = 'PENDING'`,
          [input.resetId],
        ),
      );
    },
  };
}
