// The button-level permission catalog (modules of the merchant-portal seed) and the recommended system roles.
export type WorkspaceKind = 'TENANT' | 'PARTNER' | 'MERCHANT';

export interface PermissionDef {
  key: string;
  module: string;
  label: string;
  kind: 'page' | 'button';
  tenantOnly?: boolean;
  /** The workspace kinds whose roles may hold the key (default: every kind; `tenantOnly`: TENANT only). */
  kinds?: readonly WorkspaceKind[];
}

/** A page (view) permission; `kinds` narrows the workspace kinds whose roles may hold it. */
function page<K extends string>(key: K, module: string, label: string, kinds?: readonly WorkspaceKind[]) {
  return { key, module, label, kind: 'page' as const, ...(kinds ? { kinds } : {}) };
}

/** A button (action) permission. */
function button<K extends string>(key: K, module: string, label: string) {
  return { key, module, label, kind: 'button' as const };
}

/** A permission of the Tenant module: only roles of a TENANT workspace may hold it. */
function tenant<K extends string>(key: K, label: string, kind: 'page' | 'button') {
  return { key, module: 'Tenant', label, kind, tenantOnly: true };
}

export const PERMISSION_CATALOG = [
  page('home.view', 'Home', 'View home data overview'),
  page('balance.view', 'Balance Account', 'View account balances and flows'),
  page('payment.view', 'Payment', 'View transactions and settlement'),
  button('payment.manage', 'Payment', 'Act on transactions'),
  page('card.view', 'Card Issuing', 'View issued cards'),
  button('card.manage', 'Card Issuing', 'Issue and manage cards'),
  page('payout.view', 'Payout', 'View transfers and payouts'),
  button('payout.create', 'Payout', 'Initiate transfers'),
  button('payout.cancel', 'Payout', 'Cancel transfers'),
  button('payout.approve', 'Payout', 'Approve or reject transfers above the threshold'),
  page('referral.view', 'Referral', 'View own referral code and referrals', ['TENANT', 'PARTNER']),
  button('settings.business.edit', 'Settings', 'Edit business profile'),
  page('settings.team.view', 'Settings', 'View team members and roles'),
  button('settings.team.manage', 'Settings', 'Manage members, roles, invitations'),
  button('settings.notifications.edit', 'Settings', 'Edit notifications'),
  button('settings.webhooks.edit', 'Settings', 'Edit webhooks'),
  button('settings.payment.edit', 'Settings', 'Edit payment settings'),
  button('settings.transfer_security.edit', 'Settings', 'Edit transfer security'),
  tenant('tenant.partners.manage', 'Provision and manage partners', 'button'),
  tenant('tenant.referrals.manage', 'Manage referral codes', 'button'),
  tenant('tenant.channels.manage', 'Manage channel products', 'button'),
  tenant('tenant.fees.manage', 'Configure fees', 'button'),
  tenant('tenant.notifications.manage', 'Configure notifications', 'button'),
  tenant('tenant.wallets.manage', 'Deposit to, freeze and limit wallets', 'button'),
  tenant('tenant.onboarding.manage', 'Bulk-onboard partners', 'button'),
  tenant('tenant.audit.view', 'View the audit log', 'page'),
  tenant(
    'tenant.merchants.manage',
    'Decide merchant applications, suspend and reactivate merchants',
    'button',
  ),
] as const satisfies readonly PermissionDef[];

export type PermissionKey = (typeof PERMISSION_CATALOG)[number]['key'];

const ALL_KEYS = new Set<string>(PERMISSION_CATALOG.map((p) => p.key));

export function isPermissionKey(key: string): key is PermissionKey {
  return ALL_KEYS.has(key);
}

/** Whether a role in a workspace of `kind` may hold the key: the one rule (no `tenant.*` outside TENANT). */
function applicable(p: PermissionDef, kind: WorkspaceKind): boolean {
  if (p.tenantOnly && kind !== 'TENANT') return false;
  return !p.kinds || p.kinds.includes(kind);
}

/** The keys a role in a workspace of this kind may hold. */
export function permissionsForKind(kind: WorkspaceKind): PermissionKey[] {
  return PERMISSION_CATALOG.filter((p: PermissionDef) => applicable(p, kind)).map((p) => p.key);
}

/** Keys in `requested` that a role in a workspace of `kind` can never hold. */
export function disallowedForKind(kind: WorkspaceKind, requested: readonly string[]): string[] {
  const allowed = new Set<string>(permissionsForKind(kind));
  return requested.filter((k) => !allowed.has(k));
}

export interface SystemRoleDef {
  name: string;
  description: string;
  permissions: (kind: WorkspaceKind) => PermissionKey[];
}

/** The roles every new workspace gets, as recommended by the seed document (004). */
export const SYSTEM_ROLES: readonly SystemRoleDef[] = [
  {
    name: 'Admin',
    description: 'All permissions (business owner, supervisor)',
    permissions: permissionsForKind,
  },
  {
    name: 'Finance',
    description: 'Balance account, payment settlement, payout',
    permissions: () => [
      'balance.view',
      'payment.view',
      'payout.view',
      'payout.create',
      'payout.cancel',
      'payout.approve',
    ],
  },
  {
    name: 'Operations',
    description: 'Home, payment (transaction management)',
    permissions: () => ['home.view', 'payment.view', 'payment.manage'],
  },
  {
    name: 'Customer Service',
    description: 'Home, payment (transaction management, view only)',
    permissions: () => ['home.view', 'payment.view'],
  },
  {
    name: 'Technical',
    description: 'Settings (Webhooks, payment settings)',
    permissions: () => ['settings.webhooks.edit', 'settings.payment.edit'],
  },
];

export const ADMIN_ROLE_NAME = 'Admin';
