// Pure partner rules.
import { nextSuspensionStatus, type SuspensionChange } from '../tenancy/suspension';

export type PartnerStatusChange = SuspensionChange;

/** The suspension rule (domain/tenancy/suspension.ts) applied to a partner. */
export function nextPartnerStatus(
  status: string,
  hasWorkspace: boolean,
  change: PartnerStatusChange,
): { to?: 'ACTIVE' | 'SUSPENDED'; refusal?: string } {
  return nextSuspensionStatus('partner', status, hasWorkspace, change);
}
