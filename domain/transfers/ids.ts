// Deterministic transfer IDs (name-based UUIDs; uses node:crypto, so never imported by workflow code).
import { deterministicUuid } from '../ledger';

/** The transfer a workspace's Idempotency-Key stands for (so repeated requests find the same workflow). */
export function transferIdFor(workspaceId: string, idempotencyKey: string): string {
  return deterministicUuid('transfer', workspaceId, idempotencyKey);
}
