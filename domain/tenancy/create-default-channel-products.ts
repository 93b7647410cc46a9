// Gives a new tenant its INTERNAL and SANDBOX_BANK channel products; the tenant's provisioning audit row.
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../../db/store/audit';
import { insertDefaultChannelProducts } from '../../db/store/tenancy';

export async function createDefaultChannelProducts(
  em: EntityManager,
  input: { key: string; tenantId: string; ids: Record<string, string> },
): Promise<void> {
  await em.transactional(async (tx) => {
    await insertDefaultChannelProducts(tx, input.tenantId, input.ids);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      action: 'tenant.provisioned',
      targetType: 'tenant',
      targetId: input.tenantId,
      data: { key: input.key },
    });
  });
}
