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

export const PERMISSION_CATALOG = [
  { key: 'home.view', module: 'Home', label: 'View home data overview', kind: 'page' },
  { key: 'balance.view', module: 'Balance Account', label: 'View account balances and flows', kind: 'page' },
  { key: 'payment.view', module: 'Payment', label: 'View transactions and settlement', kind: 'page' },
  { key: 'payment.manage', module: 'Payment', label: 'Act on transactions', kind: 'button' },
  { key: 'card.view', module: 'Card Issuing', label: 'View issued cards', kind: 'page' },
  { key: 'card.manage', module: 'Card Issuing', label: 'Issue and manage cards', kind: 'button' },
  { key: 'payout.view', module: 'Payout', label: 'View transfers and payouts', kind: 'page' },
  { key: 'payout.create', module: 'Payout', label: 'Initiate transfers', kind: 'button' },
  { key: 'payout.cancel', module: 'Payout', label: 'Cancel transfers', kind: 'button' },
  {
    key: 'payout.approve',
    module: 'Payout',
    label: 'Approve or reject transfers above the threshold',
    kind: 'button',
  },
  {
    key: 'referral.view',
    module: 'Referral',
    label: 'View own referral code and referrals',
    kind: 'page',
    kinds: ['TENANT', 'PARTNER'],
  },
  { key: 'settings.business.edit', module: 'Settings', label: 'Edit business profile', kind: 'button' },
  { key: 'settings.team.view', module: 'Settings', label: 'View team members and roles', kind: 'page' },
  {
    key: 'settings.team.manage',
    module: 'Settings',
    label: 'Manage members, roles, invitations',
    kind: 'button',
  },
  { key: 'settings.notifications.edit', module: 'Settings', label: 'Edit notifications', kind: 'button' },
  { key: 'settings.webhooks.edit', module: 'Settings', label: 'Edit webhooks', kind: 'button' },
  { key: 'settings.payment.edit', module: 'Settings', label: 'Edit payment settings', kind: 'button' },
  {
    key: 'settings.transfer_security.edit',
    module: 'Settings',
    label: 'Edit transfer security',
    kind: 'button',
  },
  {
    key: 'tenant.partners.manage',
    module: 'Tenant',
    label: 'Provision and manage partners',
    kind: 'button',
    tenantOnly: true,
  },
  {
    key: 'tenant.referrals.manage',
    module: 'Tenant',
    label: 'Manage referral codes',
    kind: 'button',
    tenantOnly: true,
  },
  {
    key: 'tenant.channels.manage',
    module: 'Tenant',
    label: 'Manage channel products',
    kind: 'button',
    tenantOnly: true,
  },
  { key: 'tenant.fees.manage', module: 'Tenant', label: 'Configure fees', kind: 'button', tenantOnly: true },
  {
    key: 'tenant.notifications.manage',
    module: 'Tenant',
    label: 'Configure notifications',
    kind: 'button',
    tenantOnly: true,
  },
  {
    key: 'tenant.wallets.manage',
    module: 'Tenant',
    label: 'Deposit to, freeze and limit wallets',
    kind: 'button',
    tenantOnly: true,
  },
  {
    key: 'tenant.onboarding.manage',
    module: 'Tenant',
    label: 'Bulk-onboard partners',
    kind: 'button',
    tenantOnly: true,
  },
  { key: 'tenant.audit.view', module: 'Tenant', label: 'View the audit log', kind: 'page', tenantOnly: true },
  {
    key: 'tenant.merchants.manage',
    module: 'Tenant',
    label: 'Decide merchant applications, suspend and reactivate merchants',
    kind: 'button',
    tenantOnly: true,
  },
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
