import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { SYSTEM_ROLES, permissionsForKind } from '../../domain/permissions';
import {
  assertCanManageRole,
  assertGrantable,
  normalisePermissions,
  notHeldBy,
  removesLastActiveAdmin,
} from '../../domain/roles';

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof AppError ? `${err.status} ${err.code}` : 'other';
  }
}

const admin = new Set<string>(permissionsForKind('TENANT'));
const partnerAdmin = new Set<string>(permissionsForKind('PARTNER'));

describe('assertGrantable', () => {
  it('accepts keys the caller holds and that the workspace kind allows', () => {
    expect(codeOf(() => assertGrantable('TENANT', admin, ['tenant.fees.manage', 'home.view']))).toBeNull();
    expect(codeOf(() => assertGrantable('PARTNER', partnerAdmin, ['payout.create']))).toBeNull();
    expect(codeOf(() => assertGrantable('PARTNER', partnerAdmin, []))).toBeNull();
  });

  it('refuses unknown keys and tenant keys outside TENANT workspaces with 400', () => {
    expect(codeOf(() => assertGrantable('TENANT', admin, ['home.view', 'root.everything']))).toBe(
      '400 VALIDATION_FAILED',
    );
    expect(codeOf(() => assertGrantable('PARTNER', admin, ['tenant.partners.manage']))).toBe(
      '400 VALIDATION_FAILED',
    );
    expect(codeOf(() => assertGrantable('MERCHANT', admin, ['tenant.audit.view']))).toBe(
      '400 VALIDATION_FAILED',
    );
  });

  it('refuses keys the caller lacks with 403', () => {
    const finance = new Set<string>(SYSTEM_ROLES.find((r) => r.name === 'Finance')!.permissions('TENANT'));
    expect(codeOf(() => assertGrantable('TENANT', finance, ['payout.create', 'settings.team.manage']))).toBe(
      '403 FORBIDDEN',
    );
    expect(notHeldBy(finance, ['payout.create', 'home.view'])).toEqual(['home.view']);
  });
});

describe('assertCanManageRole', () => {
  it('allows managing a role whose permissions are a subset of the caller’s', () => {
    expect(
      codeOf(() => assertCanManageRole(admin, { name: 'Finance', permissions: ['payout.create'] })),
    ).toBeNull();
    expect(
      codeOf(() =>
        assertCanManageRole(new Set(['home.view']), { name: 'Ops', permissions: ['payment.manage'] }),
      ),
    ).toBe('403 FORBIDDEN');
  });
});

describe('normalisePermissions', () => {
  it('deduplicates and orders keys as in the catalog', () => {
    expect(normalisePermissions(['payout.view', 'home.view', 'payout.view'])).toEqual([
      'home.view',
      'payout.view',
    ]);
  });
});

describe('removesLastActiveAdmin', () => {
  it('is true only when the last active Admin stops being an active Admin', () => {
    expect(removesLastActiveAdmin(['a'], 'a', { staysAdmin: false, staysActive: true })).toBe(true);
    expect(removesLastActiveAdmin(['a'], 'a', { staysAdmin: true, staysActive: false })).toBe(true);
    expect(removesLastActiveAdmin(['a'], 'a', { staysAdmin: true, staysActive: true })).toBe(false);
    expect(removesLastActiveAdmin(['a', 'b'], 'a', { staysAdmin: false, staysActive: false })).toBe(false);
    expect(removesLastActiveAdmin(['a'], 'b', { staysAdmin: false, staysActive: false })).toBe(false);
    expect(removesLastActiveAdmin([], 'b', { staysAdmin: false, staysActive: false })).toBe(false);
  });
});

describe('system roles (seed 004)', () => {
  it('give Admin everything of its kind and never a tenant key outside TENANT', () => {
    for (const kind of ['TENANT', 'PARTNER', 'MERCHANT'] as const) {
      for (const role of SYSTEM_ROLES) {
        expect(
          codeOf(() => assertGrantable(kind, new Set(permissionsForKind(kind)), role.permissions(kind))),
        ).toBeNull();
      }
    }
    expect(SYSTEM_ROLES.find((r) => r.name === 'Admin')!.permissions('PARTNER')).toEqual(
      permissionsForKind('PARTNER'),
    );
  });
});
