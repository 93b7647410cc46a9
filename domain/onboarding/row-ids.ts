// The IDs of everything one batch row provisions, derived from (batch, row): a retried or repeated chunk finds
// the same partner, workspace, admin, wallets, code and invitation, and the primary keys refuse a second one.
import { createHash } from 'node:crypto';
import { SYSTEM_ROLES } from '../permissions';

/** A UUID (version 8, name-based) for `name` within the batch row. */
function rowUuid(batchId: string, rowNumber: number, name: string): string {
  const h = createHash('sha256').update(`${batchId}:${rowNumber}:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface RowIds {
  partnerId: string;
  workspaceId: string;
  roleIds: Record<string, string>;
  adminUserId: string;
  membershipId: string;
  wallets: { id: string; currency: string }[];
  referralCodeId: string;
  invitationId: string;
}

export function onboardingRowIds(batchId: string, rowNumber: number, currencies: readonly string[]): RowIds {
  const id = (name: string) => rowUuid(batchId, rowNumber, name);
  return {
    partnerId: id('partner'),
    workspaceId: id('workspace'),
    roleIds: Object.fromEntries(SYSTEM_ROLES.map((r) => [r.name, id(`role:${r.name}`)])),
    adminUserId: id('admin'),
    membershipId: id('membership'),
    wallets: currencies.map((currency) => ({ id: id(`wallet:${currency}`), currency })),
    referralCodeId: id('referral-code'),
    invitationId: id('invitation'),
  };
}
