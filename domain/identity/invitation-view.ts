// An invitation as the API shows it (api/render/invitations.ts) and as `member.invited` carries it: the status
// a reader sees (a PENDING one past its expiry is EXPIRED).
import type { InvitationView } from '../../db/store/invitations';
import { effectiveStatus } from './invitation-rules';

export function invitationView(view: InvitationView, now = new Date()) {
  return {
    id: view.id,
    workspaceId: view.workspaceId,
    workspaceName: view.workspaceName,
    email: view.email,
    roleId: view.roleId,
    roleName: view.roleName,
    status: effectiveStatus(view.status, view.expiresAt, now),
    expiresAt: view.expiresAt.toISOString(),
    invitedBy: view.invitedBy,
    invitedByName: view.inviterName,
    respondedAt: view.respondedAt ? view.respondedAt.toISOString() : null,
    createdAt: view.createdAt.toISOString(),
  };
}
