// Pure role rules: which permission sets a caller may grant, and the last-active-Admin guard.
import { AppError, type FieldProblem } from './errors';
import { disallowedForKind, isPermissionKey, PERMISSION_CATALOG, type WorkspaceKind } from './permissions';

/** Keys in `requested` that the caller does not hold itself. */
export function notHeldBy(callerPermissions: ReadonlySet<string>, requested: readonly string[]): string[] {
  return requested.filter((k) => !callerPermissions.has(k));
}

/**
 * Checks a permission set a caller wants a role to hold: known keys (400), allowed for the workspace kind
 * (400, no `tenant.*` outside TENANT workspaces), and every key held by the caller (403).
 */
export function assertGrantable(
  kind: WorkspaceKind,
  callerPermissions: ReadonlySet<string>,
  requested: readonly string[],
  path = 'body.permissions',
): void {
  const unknown = requested.filter((k) => !isPermissionKey(k));
  if (unknown.length) {
    throw new AppError('VALIDATION_FAILED', 'unknown permission keys', {
      errors: unknown.map((k): FieldProblem => ({ path, message: `unknown permission ${k}` })),
    });
  }
  const disallowed = disallowedForKind(kind, requested);
  if (disallowed.length) {
    throw new AppError('VALIDATION_FAILED', `a role in a ${kind} workspace cannot hold these permissions`, {
      errors: disallowed.map((k): FieldProblem => ({
        path,
        message: `${k} cannot be held by a role in a ${kind} workspace`,
      })),
    });
  }
  const missing = notHeldBy(callerPermissions, requested);
  if (missing.length) {
    throw new AppError('FORBIDDEN', `you cannot grant permissions you do not hold: ${missing.join(', ')}`);
  }
}

/** A caller may manage a role (or a member holding it) only when it holds every permission of that role. */
export function assertCanManageRole(
  callerPermissions: ReadonlySet<string>,
  role: { name: string; permissions: readonly string[] },
): void {
  const missing = notHeldBy(callerPermissions, role.permissions);
  if (missing.length) {
    throw new AppError(
      'FORBIDDEN',
      `the role ${role.name} holds permissions you do not have (${missing.join(', ')})`,
    );
  }
}

/** Permission keys deduplicated and in catalog order. */
export function normalisePermissions(keys: readonly string[]): string[] {
  const wanted = new Set(keys);
  const known = PERMISSION_CATALOG.map((p) => p.key as string).filter((k) => wanted.has(k));
  const unknown = [...wanted].filter((k) => !known.includes(k));
  return [...known, ...unknown];
}

/**
 * True when a change to member `memberId` would leave the workspace without an active Admin.
 * `activeAdminIds` are the members that are ACTIVE with the Admin role before the change.
 */
export function removesLastActiveAdmin(
  activeAdminIds: readonly string[],
  memberId: string,
  change: { staysAdmin: boolean; staysActive: boolean },
): boolean {
  if (!activeAdminIds.includes(memberId)) return false;
  if (change.staysAdmin && change.staysActive) return false;
  return activeAdminIds.filter((id) => id !== memberId).length === 0;
}
