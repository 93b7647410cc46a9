// Provisions a tenant: tenant + TENANT workspace with system roles, its admin, default channel products.
// Compensation: every created row is deleted again, so a failed provisioning leaves nothing behind.
import { CancellationScope, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import type { ProvisionTenantInput, ProvisionTenantResult } from '../domain/tenancy/contract';
import { COMPENSATION, DB_WRITE } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const undo = proxyActivities<Activities>(COMPENSATION);

export async function provisionTenantWorkflow(input: ProvisionTenantInput): Promise<ProvisionTenantResult> {
  const key = workflowInfo().workflowId;
  const compensations: (() => Promise<void>)[] = [];
  try {
    compensations.unshift(() =>
      undo.discardTenant({ key: `${key}:discard-tenant`, tenantId: input.tenantId }),
    );
    await act.createTenantWithWorkspace({
      key: `${key}:tenant`,
      tenantId: input.tenantId,
      name: input.name,
      workspaceId: input.workspaceId,
      roleIds: input.roleIds,
    });
    compensations.unshift(() =>
      undo.discardProvisionedUser({ key: `${key}:discard-admin`, userId: input.admin.userId }),
    );
    await act.createWorkspaceAdmin({
      key: `${key}:admin`,
      tenantId: input.tenantId,
      workspaceId: input.workspaceId,
      roleId: input.roleIds.Admin!,
      ...input.admin,
    });
    await act.createDefaultChannelProducts({
      key: `${key}:channels`,
      tenantId: input.tenantId,
      ids: input.channelProductIds,
    });
  } catch (err) {
    markStatus('FAILED');
    await CancellationScope.nonCancellable(async () => {
      for (const compensate of compensations) await compensate();
    });
    throw err;
  }
  markStatus('COMPLETED');
  return { tenantId: input.tenantId, adminUserId: input.admin.userId };
}
