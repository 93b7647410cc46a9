// The tenancy contract: the tenant-provisioning workflow's ID, input and outcome.
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
