// Tenant provisioning steps and their compensations: thin adapters around the tenancy commands.
import { createDefaultChannelProducts } from '../domain/tenancy/create-default-channel-products';
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
     * Creates the workspace admin from a parked credential (the hash never travels through Temporal).
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
      credentialId: string;
    }): Promise<void> {
      await refusalsFinal(() => createWorkspaceAdmin(em(), { ...input, via: 'tenant-provisioning' }));
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
