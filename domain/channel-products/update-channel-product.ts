// A tenant admin changes a channel product's name, status, currencies or amount bounds; MAINTENANCE or DISABLED
// makes new transfers on it refuse with CHANNEL_UNAVAILABLE.
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError } from '../errors';
import { boundsProblem, nextBound } from './rules';
import { recordAudit } from '../../db/store/audit';
import {
  findChannelProductByCode,
  listChannelProducts,
  updateChannelProduct as writeChannelProduct,
  type ChannelProductWithFees,
} from '../../db/store/channel-products';

export interface ChannelProductChanges {
  name?: string;
  status?: 'ACTIVE' | 'MAINTENANCE' | 'DISABLED';
  currencies?: string[];
  minAmount?: number | null;
  maxAmount?: number | null;
}

export async function updateChannelProduct(
  em: EntityManager,
  input: { tenantId: string; code: string; changes: ChannelProductChanges },
  actor: Actor,
): Promise<ChannelProductWithFees> {
  const { changes } = input;
  await em.transactional(async (tx) => {
    const product = await findChannelProductByCode(tx, input.tenantId, input.code);
    if (!product) throw new AppError('NOT_FOUND', 'channel product not found');
    const before = {
      id: product.id,
      code: product.code,
      name: product.name,
      type: product.type,
      currencies: product.currencies,
      status: product.status,
      minAmount: product.minAmount?.toString() ?? null,
      maxAmount: product.maxAmount?.toString() ?? null,
      createdAt: product.createdAt,
    };
    const minAmount = nextBound(product.minAmount ?? null, changes.minAmount);
    const maxAmount = nextBound(product.maxAmount ?? null, changes.maxAmount);
    const problem = boundsProblem(minAmount, maxAmount);
    if (problem) {
      throw new AppError('VALIDATION_FAILED', 'minAmount must not exceed maxAmount', { errors: [problem] });
    }
    await writeChannelProduct(tx, product, {
      name: changes.name ?? product.name,
      status: changes.status ?? product.status,
      currencies: changes.currencies ?? product.currencies,
      minAmount,
      maxAmount,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'channel_product.updated',
        { type: 'channel_product', id: input.code },
        { before, changes },
      ),
    );
  });
  const [updated] = (await listChannelProducts(em, input.tenantId)).filter(
    (p) => p.product.code === input.code,
  );
  return updated!;
}
