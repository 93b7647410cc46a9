// Partner-only reads (the partner table is written by workspace-owners.ts, with the merchant's).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Partner } from '../entities/partners';

/** The partner whose workspace this is (a partner member's own partner), or null. */
export async function findPartnerIdByWorkspace(
  em: EntityManager,
  workspaceId: string,
): Promise<string | null> {
  const partner = await em.findOne(Partner, { workspace: workspaceId }, { fields: ['id'] });
  return partner?.id ?? null;
}

/** Lower-cased emails among `emails` that a partner which is not FAILED holds as its admin email. */
export async function partnerAdminEmailsInUse(
  em: EntityManager,
  emails: readonly string[],
): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const lowered = [...new Set(emails.map((e) => e.toLowerCase()))];
  const partners = await em.find(
    Partner,
    { adminEmail: { $in: lowered }, status: { $ne: 'FAILED' } },
    { fields: ['adminEmail'] },
  );
  return new Set(partners.map((p) => p.adminEmail.toLowerCase()));
}
