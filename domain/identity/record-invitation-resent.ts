// Record that the actor had an invitation's link sent again (the workflow issued and mailed the new token).
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from './actor';
import { recordAudit } from '../../db/store/audit';

export async function recordInvitationResent(
  em: EntityManager,
  input: { invitationId: string; email: string },
  actor: Actor,
): Promise<void> {
  await em.transactional((tx) =>
    recordAudit(
      tx,
      auditBy(
        actor,
        'invitation.resent',
        { type: 'invitation', id: input.invitationId },
        { email: input.email },
      ),
    ),
  );
}
