// The workspace-owner lifecycle's contract: a partner and a merchant are both a tenant's organisation with its own
// workspace and admin, provisioned by a saga (PROVISIONING, then ACTIVE or FAILED) and suspended or reactivated
// by the tenant. What differs by kind is only here: the workspace kind, the audit/event names and which events
// a kind publishes. The commands of this folder (`*-workspace-owner.ts`, `*-owner-*.ts`) take the kind.
import type { EventType } from '../events/contract';
import type { WorkspaceKind } from '../permissions';
import type { SuspensionChange } from './suspension';

export type OwnerKind = 'partner' | 'merchant';

export const OWNER_STATUSES = ['PROVISIONING', 'ACTIVE', 'FAILED', 'SUSPENDED'] as const;
export type OwnerStatus = (typeof OWNER_STATUSES)[number];

export type OwnerChange = 'activated' | 'failed' | SuspensionChange;

interface OwnerKindRules {
  workspaceKind: WorkspaceKind;
  /** The event each change publishes to the tenant's workspace (none: the kind publishes none for it). */
  events: Partial<Record<OwnerChange, EventType>>;
}

export const OWNER_KINDS: Record<OwnerKind, OwnerKindRules> = {
  partner: {
    workspaceKind: 'PARTNER',
    events: {
      activated: 'partner.activated',
      failed: 'partner.failed',
      suspend: 'partner.suspended',
      reactivate: 'partner.reactivated',
    },
  },
  merchant: { workspaceKind: 'MERCHANT', events: { activated: 'merchant.activated' } },
};

/** The audit action of a suspension change (`partner.suspended`, `merchant.reactivated`). */
export function suspensionAction(kind: OwnerKind, change: SuspensionChange): string {
  return `${kind}.${change === 'suspend' ? 'suspended' : 'reactivated'}`;
}
