// Creates the tenant row and its TENANT workspace with the system roles (idempotent by IDs).
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertTenant } from '../../db/store/tenancy';
import { createWorkspace } from './create-workspace';

export async function createTenantWithWorkspace(
  em: EntityManager,
  input: { tenantId: string; name: string; workspaceId: string; roleIds: Record<string, string> },
): Promise<void> {
  await em.transactional(async (tx) => {
    await insertTenant(tx, { id: input.tenantId, name: input.name });
    await createWorkspace(tx, { ...input, kind: 'TENANT' });
  });
}
