// Pure invitation rules: the status a reader sees, which invitations can still be settled, who may grant a role.
import { AppError } from '../errors';
import type { InvitationStatus } from './invitation-contract';

/** A PENDING invitation past its expiry reads as EXPIRED even before the workflow's timer marks it. */
export function effectiveStatus(status: string, expiresAt: Date, now: Date): InvitationStatus {
  return status === 'PENDING' && expiresAt.getTime() <= now.getTime()
    ? 'EXPIRED'
    : (status as InvitationStatus);
}

/** Refuses (409 CONFLICT) an invitation that is no longer PENDING, or PENDING but expired. */
export function assertStillPending(invitation: { status: string; expiresAt: Date }, now: Date): void {
  const status = effectiveStatus(invitation.status, invitation.expiresAt, now);
  if (status !== 'PENDING') throw new AppError('CONFLICT', `the invitation is ${status}`);
}

/**
 * True while the inviter (its current role's permissions; null when it is no longer an active member) may
 * manage the team and holds every permission of the invited role.
 */
export function inviterMayGrant(
  inviterPermissions: readonly string[] | null,
  granted: readonly string[],
): boolean {
  if (!inviterPermissions) return false;
  const held = new Set(inviterPermissions);
  return held.has('settings.team.manage') && granted.every((p) => held.has(p));
}
