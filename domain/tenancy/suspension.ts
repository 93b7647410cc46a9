// The one suspension rule for organisations with a workspace (partners, merchants), pure: which status change a
// suspend or reactivate request makes. apply-workspace-status.ts carries it to the workspace, whose SUSPENDED
// status is what blocks its members' logins, sessions and new transfers (login, auth middleware, transfer plan).

export type SuspensionChange = 'suspend' | 'reactivate';

/**
 * What a suspension or reactivation does to a `subject` (partner, merchant) in `status`: move it (`to`),
 * nothing (already there), or refuse. Only an ACTIVE one with a workspace is suspended, only a SUSPENDED one
 * reactivated.
 */
export function nextSuspensionStatus(
  subject: string,
  status: string,
  hasWorkspace: boolean,
  change: SuspensionChange,
): { to?: 'ACTIVE' | 'SUSPENDED'; refusal?: string } {
  const to = change === 'suspend' ? 'SUSPENDED' : 'ACTIVE';
  const from = change === 'suspend' ? 'ACTIVE' : 'SUSPENDED';
  if (status === from && hasWorkspace) return { to };
  if (status === to) return {};
  return {
    refusal: `a ${status} ${subject} cannot be ${change === 'suspend' ? 'suspended' : 'reactivated'}`,
  };
}
