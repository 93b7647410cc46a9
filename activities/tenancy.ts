// Provisioning steps shared by every workspace kind (tenant, merchant; partner provisioning wraps the same
// commands with its partner links) and their compensations: thin adapters around the tenancy commands.
import type { WorkspaceKind } from '../domain/permissions';
import { createActivationInvitation } from '../domain/tenancy/create-activation-invitation';
import { createDefaultChannelProducts } from '../domain/tenancy/create-default-channel-products';
import { createWorkspace } from '../domain/tenancy/create-workspace';
import { discardWorkspace } from '../domain/tenancy/discard-workspace';
import { discardWorkspaceWallets } from '../domain/tenancy/discard-workspace-wallets';
import { openWorkspaceWallets } from '../domain/tenancy/open-workspace-wallets';
import { revokeActivationInvitation } from '../domain/tenancy/revoke-activation-invitation';
import { createTenantWithWorkspace } from '../domain/tenancy/create-tenant-with-workspace';
import { createWorkspaceAdmin } from '../domain/tenancy/create-workspace-admin';
import { discardProvisionedUser } from '../domain/tenancy/discard-provisioned-user';
import { discardTenant } from '../domain/tenancy/discard-tenant';
import type { ActivityDeps } from './deps';
import { refusalsFinal } from './refusal';

export function tenancyActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /** Creates the tenant row and its TENANT workspace with the system roles. Undone by discardTenant. */
    async createTenantWithWorkspace(input: {
      key: string;
      tenantId: string;
      name: string;
      workspaceId: string;
      roleIds: Record<string, string>;
    }): Promise<void> {
      await createTenantWithWorkspace(em(), input);
    },

    /**
     * Creates the workspace admin with the Admin membership: active from a parked credential (the hash never
     * travels through Temporal), or, without one, not activated until it accepts its activation invitation.
     * Undone by discardProvisionedUser. CONFLICT when the email already belongs to another user.
     */
    async createWorkspaceAdmin(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      roleId: string;
      userId: string;
      membershipId: string;
      email: string;
      name: string;
      credentialId?: string;
      /** Which provisioning asks (audit); default tenant-provisioning. */
      via?: string;
    }): Promise<void> {
      await refusalsFinal(() =>
        createWorkspaceAdmin(em(), { ...input, via: input.via ?? 'tenant-provisioning' }),
      );
    },

    /** Creates a workspace of `kind` with the system roles (idempotent by ID). Undone by discardWorkspace. */
    async createWorkspace(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      kind: WorkspaceKind;
      name: string;
      roleIds: Record<string, string>;
    }): Promise<void> {
      await createWorkspace(em(), input);
    },

    /** Compensation: removes the workspace with its roles, memberships, sessions and invitations (idempotent). */
    async discardWorkspace(input: { key: string; workspaceId: string }): Promise<void> {
      await discardWorkspace(em(), input.workspaceId);
    },

    /** Opens one wallet (with its ledger account) per currency. Undone by discardWorkspaceWallets. */
    async openWorkspaceWallets(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      ownerName: string;
      wallets: { id: string; currency: string }[];
    }): Promise<void> {
      await openWorkspaceWallets(em(), input);
    },

    /** Compensation: removes wallets that provisioning opened, with their (still empty) ledger accounts. */
    async discardWorkspaceWallets(input: { key: string; walletIds: string[] }): Promise<void> {
      await discardWorkspaceWallets(em(), input.walletIds);
    },

    /** Writes the admin's activation invitation for the invitation workflow to mail. Undone by revokeActivationInvitation. */
    async createActivationInvitation(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      invitationId: string;
      email: string;
      roleId: string;
      invitedBy: string | null;
      ttlMs: number;
    }): Promise<void> {
      await createActivationInvitation(em(), input);
    },

    /** Compensation: revokes the activation invitation (its token stops working). */
    async revokeActivationInvitation(input: { key: string; invitationId: string }): Promise<void> {
      await revokeActivationInvitation(em(), input.invitationId);
    },

    /** Creates the INTERNAL and SANDBOX_BANK channel products. Undone by discardTenant. */
    async createDefaultChannelProducts(input: {
      key: string;
      tenantId: string;
      ids: Record<string, string>;
    }) {
      await createDefaultChannelProducts(em(), input);
    },

    /** Compensation: removes a provisioned user with its memberships and sessions (idempotent). */
    async discardProvisionedUser(input: { key: string; userId: string }): Promise<void> {
      await discardProvisionedUser(em(), input.userId);
    },

    /** Compensation: removes a tenant and everything provisioning created under it (idempotent). */
    async discardTenant(input: { key: string; tenantId: string }): Promise<void> {
      await discardTenant(em(), input);
    },
  };
}
