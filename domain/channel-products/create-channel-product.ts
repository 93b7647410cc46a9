// A tenant admin adds a channel product (ACTIVE); CONFLICT when the code exists.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditBy, type Actor } from '../identity/actor';
import { AppError } from '../errors';
import { recordAudit } from '../../db/store/audit';
import {
  findChannelProductByCode,
  insertChannelProduct,
  type ChannelProductWithFees,
} from '../../db/store/channel-products';

export interface NewChannelProduct {
  code: string;
  name: string;
  type: 'BOOK_TRANSFER' | 'BANK_PAYOUT';
  currencies: string[];
  minAmount?: number | null;
  maxAmount?: number | null;
}

export async function createChannelProduct(
  em: EntityManager,
  input: { tenantId: string; product: NewChannelProduct },
  actor: Actor,
): Promise<ChannelProductWithFees> {
  const p = input.product;
  return em.transactional(async (tx) => {
    if (await findChannelProductByCode(tx, input.tenantId, p.code)) {
      throw new AppError('CONFLICT', `the channel product ${p.code} already exists`);
    }
    const product = await insertChannelProduct(tx, {
      id: randomUUID(),
      tenantId: input.tenantId,
      code: p.code,
      name: p.name,
      type: p.type,
      currencies: p.currencies,
      minAmount: p.minAmount == null ? null : BigInt(p.minAmount),
      maxAmount: p.maxAmount == null ? null : BigInt(p.maxAmount),
    });
    await recordAudit(
      tx,
      auditBy(actor, 'channel_product.created', { type: 'channel_product', id: p.code }, { ...p }),
    );
    return { product, fees: [] };
  });
}
