// The Invitation answer shape (the status a reader sees: a PENDING one past its expiry is EXPIRED).
import { INVITATION_STATUSES } from '../../domain/identity/invitation-contract';
import { invitationView } from '../../domain/identity/invitation-view';
import type { InvitationView } from '../../db/store/invitations';
import { PageQuery, z } from '../openapi';
import { pageFrom } from '../pagination';

export const invitationJson = invitationView;

export const InvitationSchema = z
  .object({
    id: z.uuid(),
    workspaceId: z.uuid(),
    workspaceName: z.string(),
    email: z.string(),
    roleId: z.uuid(),
    roleName: z.string(),
    status: z.enum(INVITATION_STATUSES),
    expiresAt: z.string(),
    invitedBy: z.uuid().nullable(),
    invitedByName: z.string().nullable(),
    respondedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Invitation');

export const InvitationListQuery = PageQuery.extend({ status: z.enum(INVITATION_STATUSES).optional() });

/** A page answer from `limit + 1` fetched rows. */
export function invitationPage(rows: InvitationView[], limit: number) {
  const page = pageFrom(rows, limit);
  const now = new Date();
  return { data: page.rows.map((r) => invitationJson(r, now)), nextCursor: page.nextCursor };
}
