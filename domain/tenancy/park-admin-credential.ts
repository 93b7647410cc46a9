// Parks a new tenant admin's password hash for the provisioning workflow (the hash never enters Temporal).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../passwords';
import { parkCredential } from '../../db/store/credentials';

/** How long provisioning has to use a parked credential; an unused one is worthless after that. */
export const PARKED_CREDENTIAL_TTL_MS = 15 * 60_000;

/** Returns the credential's ID. */
export async function parkAdminCredential(em: EntityManager, password: string): Promise<string> {
  const id = randomUUID();
  const passwordHash = await hashPassword(password);
  await em.transactional((tx) =>
    parkCredential(tx, { id, passwordHash, expiresAt: new Date(Date.now() + PARKED_CREDENTIAL_TTL_MS) }),
  );
  return id;
}
