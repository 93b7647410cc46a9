// The Invitation answer shape (the status a reader sees: a PENDING one past its expiry is EXPIRED), read and rendered.
import { INVITATION_STATUSES } from '../../domain/identity/invitation-contract';
import { invitationView } from '../../domain/identity/invitation-view';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../domain/errors';
import { findInvitationView, listInvitationViews, type InvitationView } from '../../db/store/invitations';
import { PageQuery, z } from '../openapi';
import { decodeCursor, pageAnswer } from '../pagination';

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
  const now = new Date();
  return pageAnswer(rows, limit, (r) => invitationJson(r, now));
}

/** The page a list query asks for, of a workspace's invitations or of those sent to an email. */
export async function readInvitationPage(
  em: EntityManager,
  where: { workspaceId: string } | { email: string },
  query: z.infer<typeof InvitationListQuery>,
) {
  const rows = await listInvitationViews(em, where, {
    limit: query.limit,
    after: decodeCursor(query.cursor),
    status: query.status,
  });
  return invitationPage(rows, query.limit);
}

/** The invitation's answer; 404 when there is none. */
export async function readInvitation(em: EntityManager, id: string) {
  const view = await findInvitationView(em, { id });
  if (!view) throw notFound('invitation');
  return invitationJson(view);
}
