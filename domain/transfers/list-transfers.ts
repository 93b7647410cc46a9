// Query: a page of transfers (a partner's workspace or the whole tenant) under the shared filters, newest first.
import type { EntityManager } from '@mikro-orm/postgresql';
import { listTransfers as selectTransfers, type TransferRow } from '../../db/store/transfers';
import type { TransferStatus } from './contract';
import { assertPeriod } from './period';

export interface TransferListQuery {
  status?: TransferStatus;
  walletId?: string;
  from?: string;
  to?: string;
  minAmount?: number;
  maxAmount?: number;
  reference?: string;
  cursor: { createdAt: string; id: string } | null;
  limit: number;
}

/** Up to limit+1 rows (the extra one tells the caller there is a next page). */
export async function listTransfers(
  em: EntityManager,
  scope: { tenantId: string; workspaceId?: string },
  query: TransferListQuery,
): Promise<TransferRow[]> {
  assertPeriod(query);
  return selectTransfers(em, {
    ...scope,
    ...query,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  });
}
