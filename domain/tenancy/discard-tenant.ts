// Compensation of tenant provisioning: removes the tenant and everything under it, with the rollback's audit row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { deleteTenant } from '../../db/store/workspaces';

export async function discardTenant(
  em: EntityManager,
  input: { key: string; tenantId: string },
): Promise<void> {
  await em.transactional(async (tx) => {
    if (!(await deleteTenant(tx, input.tenantId))) return;
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'tenant.provisioning_rolled_back',
      targetType: 'tenant',
      targetId: input.tenantId,
      data: { key: input.key },
    });
  });
}
