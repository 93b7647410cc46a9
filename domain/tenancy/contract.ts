// The tenancy contract: the tenant-provisioning workflow's ID, input and outcome, and the activation invitation
// every provisioned workspace admin gets.
export interface ProvisionTenantInput {
  tenantId: string;
  name: string;
  workspaceId: string;
  roleIds: Record<string, string>;
  channelProductIds: Record<string, string>;
  admin: { userId: string; membershipId: string; email: string; name: string; credentialId: string };
}

export interface ProvisionTenantResult {
  tenantId: string;
  adminUserId: string;
}

export function tenantProvisioningWorkflowId(tenantId: string): string {
  return `tenant-provisioning-${tenantId}`;
}

/** A provisioned admin's activation invitation (written PENDING; the invitation workflow mails it). */
export interface ActivationInvitationInput {
  tenantId: string;
  workspaceId: string;
  invitationId: string;
  email: string;
  roleId: string;
  invitedBy: string | null;
  ttlMs: number;
}
