// The identity store for users and memberships: the only code that writes `app_user` and `membership`.
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { User, type MembershipEntity, type UserEntity } from '../entities/identity';
import { deleteUserMemberships } from './members';
import { revokeSessions } from './sessions';

export type UserRecord = UserEntity;
export type MembershipRecord = MembershipEntity;

export interface NewUser {
  id: string;
  loginEmail: string;
  name: string;
  contactEmail?: string | null;
  passwordHash: string | null;
  activated: boolean;
  mustChangePassword?: boolean;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function findUserByEmail(em: EntityManager, email: string): Promise<UserRecord | null> {
  return em.findOne(User, { loginEmail: normaliseEmail(email) });
}

/** Lower-cased login emails among `emails` that a user already holds. */
export async function loginEmailsHeld(em: EntityManager, emails: readonly string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await em.find(
    User,
    { loginEmail: { $in: emails.map(normaliseEmail) } },
    { fields: ['loginEmail'] },
  );
  return new Set(rows.map((r) => r.loginEmail));
}

/**
 * Inserts a user unless its ID exists already (a retried activity). 'taken' when another user holds the login
 * email: the unique index decides, so two concurrent claims cannot both win.
 */
export async function insertUserIfAbsent(
  em: EntityManager,
  u: NewUser,
): Promise<'created' | 'exists' | 'taken'> {
  const existing = await findUserByEmail(em, u.loginEmail);
  if (existing) return existing.id === u.id ? 'exists' : 'taken';
  if (await em.findOne(User, { id: u.id }, { fields: ['id'] })) return 'exists';
  try {
    await em.insert(User, {
      id: u.id,
      loginEmail: normaliseEmail(u.loginEmail),
      name: u.name,
      contactEmail: u.contactEmail ?? null,
      passwordHash: u.passwordHash,
      activated: u.activated,
      mustChangePassword: u.mustChangePassword ?? false,
      passwordChangedAt: u.passwordHash === null ? null : new Date(),
      mfaEnabled: false,
      createdAt: new Date(),
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return 'taken';
    throw err;
  }
  return 'created';
}

/** The user holding this login email, row-locked (accepting an invitation may create or activate it). */
export function lockUserByEmail(tx: EntityManager, email: string): Promise<UserRecord | null> {
  return tx.findOne(
    User,
    { loginEmail: normaliseEmail(email) },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
}

export function findUser(em: EntityManager, userId: string): Promise<UserRecord | null> {
  return em.findOne(User, { id: userId }, { refresh: true });
}

/** Sets a password the user chose: the account is activated and no longer has to change it. */
export async function setPassword(
  tx: EntityManager,
  userId: string,
  passwordHash: string,
  name?: string,
): Promise<void> {
  await tx.nativeUpdate(
    User,
    { id: userId },
    {
      passwordHash,
      activated: true,
      mustChangePassword: false,
      passwordChangedAt: new Date(),
      ...(name !== undefined ? { name } : {}),
    },
  );
}

export async function updateUserSecurity(
  tx: EntityManager,
  userId: string,
  change: Partial<
    Pick<UserRecord, 'mfaEnabled' | 'totpSecretEnc' | 'totpPendingSecretEnc' | 'totpLastStep' | 'lastLoginAt'>
  >,
): Promise<void> {
  await tx.nativeUpdate(User, { id: userId }, change);
}

/** Removes a user with its memberships and sessions (the compensation of a provisioned admin). */
export async function deleteUser(em: EntityManager, userId: string): Promise<void> {
  await revokeSessions(em, { userId });
  await deleteUserMemberships(em, userId);
  await em.nativeDelete(User, { id: userId });
}

export async function updateUserProfile(
  tx: EntityManager,
  userId: string,
  change: { name?: string; contactEmail?: string | null },
): Promise<void> {
  const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length) await tx.nativeUpdate(User, { id: userId }, set);
}
