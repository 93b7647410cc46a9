// Pure partner rules.

export type PartnerStatusChange = 'suspend' | 'reactivate';

/**
 * What a suspension or reactivation does to a partner in `status`: move it (`to`), nothing (already there), or
 * refuse. Only an ACTIVE partner with a workspace is suspended, only a SUSPENDED one reactivated.
 */
export function nextPartnerStatus(
  status: string,
  hasWorkspace: boolean,
  change: PartnerStatusChange,
): { to?: 'ACTIVE' | 'SUSPENDED'; refusal?: string } {
  const to = change === 'suspend' ? 'SUSPENDED' : 'ACTIVE';
  const from = change === 'suspend' ? 'ACTIVE' : 'SUSPENDED';
  if (status === from && hasWorkspace) return { to };
  if (status === to) return {};
  return { refusal: `a ${status} partner cannot be ${change === 'suspend' ? 'suspended' : 'reactivated'}` };
}
