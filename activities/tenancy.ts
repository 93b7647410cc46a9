// Provisioning steps shared by every workspace kind (tenant, partner, merchant) and their compensations, plus the
// workspace-owner steps (a partner's or merchant's own row) by kind: thin adapters around the tenancy commands.
// Each step's input is its command's input with the step's `key`.
import { appointOwnerAdmin } from '../domain/tenancy/appoint-owner-admin';
import { attachOwnerWorkspace } from '../domain/tenancy/attach-owner-workspace';
import { createActivationInvitation } from '../domain/tenancy/create-activation-invitation';
import { createDefaultChannelProducts } from '../domain/tenancy/create-default-channel-products';
import { createWorkspace } from '../domain/tenancy/create-workspace';
import { detachOwnerWorkspace } from '../domain/tenancy/detach-owner-workspace';
import { discardWorkspace } from '../domain/tenancy/discard-workspace';
import { discardWorkspaceWallets } from '../domain/tenancy/discard-workspace-wallets';
import { openWorkspaceWallets } from '../domain/tenancy/open-workspace-wallets';
import { revokeActivationInvitation } from '../domain/tenancy/revoke-activation-invitation';
import { createTenantWithWorkspace } from '../domain/tenancy/create-tenant-with-workspace';
import { createWorkspaceAdmin } from '../domain/tenancy/create-workspace-admin';
import { discardProvisionedUser } from '../domain/tenancy/discard-provisioned-user';
import { discardTenant } from '../domain/tenancy/discard-tenant';
import { settleOwnerProvisioning } from '../domain/tenancy/settle-owner-provisioning';
import type { ActivityDeps } from './deps';
import { refusalsFinal } from './refusal';

/** A step's input: its command's input with the step's idempotency key. */
export type StepInput<C extends (em: never, input: never, ...rest: never[]) => unknown> = Parameters<C>[1] & {
  key: string;
};

/** An owner step's input as a kind's activity takes it: the owner's ID under the kind's own name. */
export type KindStepInput<T, IdName extends string> = Omit<T, 'kind' | 'ownerId'> & Record<IdName, string>;

export function tenancyActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /** Creates the tenant row and its TENANT workspace with the system roles. Undone by discardTenant. */
    async createTenantWithWorkspace(input: StepInput<typeof createTenantWithWorkspace>): Promise<void> {
      await createTenantWithWorkspace(em(), input);
    },

    /**
     * Creates the workspace admin with the Admin membership: active from a parked credential (the hash never
     * travels through Temporal), or, without one, not activated until it accepts its activation invitation.
     * Undone by discardProvisionedUser. CONFLICT when the email already belongs to another user.
     */
    async createWorkspaceAdmin(
      input: Omit<StepInput<typeof createWorkspaceAdmin>, 'via'> & { via?: string },
    ): Promise<void> {
      await refusalsFinal(() =>
        createWorkspaceAdmin(em(), { ...input, via: input.via ?? 'tenant-provisioning' }),
      );
    },

    /** Creates a workspace of `kind` with the system roles (idempotent by ID). Undone by discardWorkspace. */
    async createWorkspace(input: StepInput<typeof createWorkspace>): Promise<void> {
      await createWorkspace(em(), input);
    },

    /** Compensation: removes the workspace with its roles, memberships, sessions and invitations (idempotent). */
    async discardWorkspace(input: { key: string; workspaceId: string }): Promise<void> {
      await discardWorkspace(em(), input.workspaceId);
    },

    /** Opens one wallet (with its ledger account) per currency. Undone by discardWorkspaceWallets. */
    async openWorkspaceWallets(input: StepInput<typeof openWorkspaceWallets>): Promise<void> {
      await openWorkspaceWallets(em(), input);
    },

    /** Compensation: removes wallets that provisioning opened, with their (still empty) ledger accounts. */
    async discardWorkspaceWallets(input: { key: string; walletIds: string[] }): Promise<void> {
      await discardWorkspaceWallets(em(), input.walletIds);
    },

    /** Writes the admin's activation invitation for the invitation workflow to mail. Undone by revokeActivationInvitation. */
    async createActivationInvitation(input: StepInput<typeof createActivationInvitation>): Promise<void> {
      await createActivationInvitation(em(), input);
    },

    /** Compensation: revokes the activation invitation (its token stops working). */
    async revokeActivationInvitation(input: { key: string; invitationId: string }): Promise<void> {
      await revokeActivationInvitation(em(), input.invitationId);
    },

    /** Creates the INTERNAL and SANDBOX_BANK channel products. Undone by discardTenant. */
    async createDefaultChannelProducts(input: StepInput<typeof createDefaultChannelProducts>) {
      await createDefaultChannelProducts(em(), input);
    },

    /** Compensation: removes a provisioned user with its memberships and sessions (idempotent). */
    async discardProvisionedUser(input: { key: string; userId: string }): Promise<void> {
      await discardProvisionedUser(em(), input.userId);
    },

    /** Compensation: removes a tenant and everything provisioning created under it (idempotent). */
    async discardTenant(input: StepInput<typeof discardTenant>): Promise<void> {
      await discardTenant(em(), input);
    },
  };
}

/**
 * The workspace-owner steps (partner, merchant) as plain functions for the kinds' activity adapters, which keep
 * their activity names and inputs (running workflows call them by those).
 */
export function ownerSteps(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    attachWorkspace: (input: StepInput<typeof attachOwnerWorkspace>) => attachOwnerWorkspace(em(), input),
    detachWorkspace: (input: StepInput<typeof detachOwnerWorkspace>) => detachOwnerWorkspace(em(), input),
    appointAdmin: (input: StepInput<typeof appointOwnerAdmin>) =>
      refusalsFinal(() => appointOwnerAdmin(em(), input)),
    settle: (input: Parameters<typeof settleOwnerProvisioning>[1]) => settleOwnerProvisioning(em(), input),
  };
}
