// Invitation activities: issue a token and mail it in one step (the token never leaves this activity), expire.
import { ApplicationFailure } from '@temporalio/activity';
import { digest, newToken } from '../api/auth/tokens';
import { recordAudit } from '../db/store/audit';
import { inTransaction, type ActivityDeps } from './deps';
import { dispatchMail, linkMessage, mailAlreadySent, portalLink, recordMail } from './email';

interface InvitationMailRow {
  status: string;
  email: string;
  workspace_name: string;
  role_name: string;
  inviter_name: string | null;
  expires_at: Date;
}

export type InvitationMailOutcome = 'SENT' | 'NOT_PENDING';

export function invitationActivities(deps: ActivityDeps) {
  return {
    /**
     * Issues a fresh token for a PENDING invitation (its digest replaces the previous one, killing it),
     * optionally renews the expiry, and mails the link. Idempotent per key. Nothing to compensate.
     */
    async sendInvitationMail(input: {
      key: string;
      invitationId: string;
      renewTtlMs?: number;
    }): Promise<InvitationMailOutcome> {
      if (await mailAlreadySent(deps, input.key)) return 'SENT';
      const token = newToken();
      const message = await inTransaction(deps, async (em) => {
        const [row] = await em.execute<InvitationMailRow[]>(
          `select i.status, i.email, i.expires_at, w.name as workspace_name, r.name as role_name, u.name as inviter_name
             from invitation i
             join workspace w on w.id = i.workspace_id
             join role r on r.id = i.role_id
             left join app_user u on u.id = i.invited_by
            where i.id = ? for update of i`,
          [input.invitationId],
        );
        // The API starts the workflow inside the transaction that inserts the row: wait for its commit.
        if (!row) throw ApplicationFailure.retryable('the invitation is not visible yet', 'NOT_FOUND');
        if (row.status !== 'PENDING') return null;
        await em.execute(
          `update invitation set token_hash = ?, updated_at = now(),
                  expires_at = case when ?::bigint is null then expires_at else now() + (?::bigint * interval '1 millisecond') end
            where id = ?`,
          [digest(token), input.renewTtlMs ?? null, input.renewTtlMs ?? null, input.invitationId],
        );
        const mail = linkMessage(
          input.key,
          row.email,
          `You are invited to ${row.workspace_name}`,
          [
            `${row.inviter_name ?? 'An administrator'} invited you to join ${row.workspace_name} as ${row.role_name}.`,
            'Open the link below to accept the invitation. It can be used once.',
          ],
          { label: 'Accept the invitation', url: portalLink(deps.config, '/accept-invitation', token) },
        );
        await recordMail(em, deps.config, mail);
        return mail;
      });
      if (!message) return 'NOT_PENDING';
      await dispatchMail(deps, message);
      return 'SENT';
    },

    /** Marks a still-PENDING invitation EXPIRED (its token dies with it); returns the final status. */
    async expireInvitation(input: { key: string; invitationId: string }): Promise<string> {
      return inTransaction(deps, async (em) => {
        const [row] = await em.execute<
          { tenant_id: string; workspace_id: string; email: string; status: string }[]
        >(
          `update invitation set status = 'EXPIRED', token_hash = null, updated_at = now()
            where id = ? and status = 'PENDING'
          returning tenant_id, workspace_id, email, status`,
          [input.invitationId],
        );
        if (row) {
          await recordAudit(em, {
            tenantId: row.tenant_id,
            workspaceId: row.workspace_id,
            action: 'invitation.expired',
            targetType: 'invitation',
            targetId: input.invitationId,
            data: { email: row.email },
          });
          return 'EXPIRED';
        }
        const [current] = await em.execute<{ status: string }[]>(
          'select status from invitation where id = ?',
          [input.invitationId],
        );
        return current?.status ?? 'GONE';
      });
    },
  };
}
