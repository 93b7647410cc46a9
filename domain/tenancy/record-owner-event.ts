// The event of an owner's lifecycle change (partner.activated, merchant.activated, partner.suspended, ...), when
// its kind publishes one, written in the change's transaction with the owner as the API shows it. It belongs to
// the tenant's workspace (the tenant administers its partners and merchants).
import type { EntityManager } from '@mikro-orm/postgresql';
import { tenantWorkspaceId } from '../../db/store/events';
import { findOwner } from '../../db/store/workspace-owners';
import { recordEvent } from '../events/record-event';
import { OWNER_KINDS, type OwnerChange, type OwnerKind } from './workspace-owner';

export async function recordOwnerEvent(
  tx: EntityManager,
  input: { kind: OwnerKind; change: OwnerChange; tenantId: string; ownerId: string; key: string },
): Promise<void> {
  const type = OWNER_KINDS[input.kind].events[input.change];
  if (!type) return;
  const owner = await findOwner(tx, input.kind, input.tenantId, input.ownerId);
  if (!owner) return;
  await recordEvent(tx, {
    type,
    tenantId: input.tenantId,
    workspaceId: await tenantWorkspaceId(tx, input.tenantId),
    data: { ...owner },
    key: input.key,
  });
}
