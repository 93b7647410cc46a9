// Suspends or reactivates a partner or merchant with its workspace (the one suspension rule, suspension.ts):
// suspension ends its members' sessions, and a SUSPENDED workspace blocks their logins and new transfers.
// Repeating the change is a no-op; any other state is a CONFLICT.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError, notFound } from '../errors';
import { applyWorkspaceStatus } from './apply-workspace-status';
import { recordOwnerEvent } from './record-owner-event';
import { nextSuspensionStatus, type SuspensionChange } from './suspension';
import { suspensionAction, type OwnerKind } from './workspace-owner';
import { recordAudit } from '../../db/store/audit';
import { findOwner, lockOwner, updateOwner, type OwnerView } from '../../db/store/workspace-owners';

export async function changeOwnerStatus<K extends OwnerKind>(
  em: EntityManager,
  input: { kind: K; tenantId: string; ownerId: string; change: SuspensionChange },
  actor: Actor,
): Promise<OwnerView<K>> {
  const { kind, ownerId, change } = input;
  return em.transactional(async (tx) => {
    const owner = await lockOwner(tx, kind, ownerId, input.tenantId);
    if (!owner) throw notFound(kind);
    const step = nextSuspensionStatus(kind, owner.status, Boolean(owner.workspace), change);
    if (step.refusal) throw new AppError('CONFLICT', step.refusal);
    if (step.to && owner.workspace) {
      await updateOwner(tx, owner, { status: step.to });
      const revoked = await applyWorkspaceStatus(tx, owner.workspace, step.to);
      await recordAudit(
        tx,
        auditBy(
          actor,
          suspensionAction(kind, change),
          { type: kind, id: ownerId },
          { [`${kind}WorkspaceId`]: owner.workspace, sessionsRevoked: revoked },
        ),
      );
      // Each change is its own event (an owner may be suspended and reactivated many times).
      await recordOwnerEvent(tx, {
        kind,
        change,
        tenantId: input.tenantId,
        ownerId,
        key: `${kind}.${change}:${ownerId}:${randomUUID()}`,
      });
    }
    return (await findOwner(tx, kind, input.tenantId, ownerId))!;
  });
}
