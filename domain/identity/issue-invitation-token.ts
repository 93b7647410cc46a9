// Give a PENDING invitation a fresh token (only its digest is stored; the previous link stops working).
import type { EntityManager } from '@mikro-orm/postgresql';
import { findInvitationView, lockInvitation, replaceInvitationToken } from '../../db/store/invitations';

export type IssuedInvitationToken =
  | { kind: 'issued'; email: string; workspaceName: string; roleName: string; inviterName: string | null }
  | { kind: 'not-pending' }
  | { kind: 'missing' };

/** `renewTtlMs` restarts the expiry (a resend). 'missing' when no such invitation row exists (yet). */
export async function issueInvitationToken(
  em: EntityManager,
  input: { invitationId: string; tokenHash: string; renewTtlMs?: number },
): Promise<IssuedInvitationToken> {
  return em.transactional(async (tx) => {
    const invitation = await lockInvitation(tx, { id: input.invitationId });
    if (!invitation) return { kind: 'missing' };
    if (invitation.status !== 'PENDING') return { kind: 'not-pending' };
    await replaceInvitationToken(tx, invitation.id, input.tokenHash, input.renewTtlMs);
    const view = (await findInvitationView(tx, { id: invitation.id }))!;
    return {
      kind: 'issued',
      email: view.email,
      workspaceName: view.workspaceName,
      roleName: view.roleName,
      inviterName: view.inviterName,
    };
  });
}
