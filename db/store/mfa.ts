// Second-factor state of users: TOTP checks on a row-locked user (a step is accepted once), recovery codes (each
// consumed once) and the account-security overview. The only code that writes `recovery_code`.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
import { pgTextArray } from '../sql';
import { updateUserSecurity } from './users';
import {
  decryptSecret,
  isRecoveryCodeFormat,
  recoveryCodeDigest,
  TOTP_CODE_PATTERN,
  verifyTotp,
} from '../../domain/totp';

export interface MfaUserRow {
  id: string;
  login_email: string;
  name: string;
  contact_email: string | null;
  password_hash: string | null;
  activated: boolean;
  must_change_password: boolean;
  mfa_enabled: boolean;
  totp_secret_enc: string | null;
  totp_pending_secret_enc: string | null;
  totp_last_step: string | null;
}

/** Checks a TOTP code (row lock on the user, so a time step is accepted once) or consumes a recovery code. */
export async function acceptSecondFactor(
  tx: EntityManager,
  user: MfaUserRow,
  code: string,
  key: string,
): Promise<'totp' | 'recovery_code' | null> {
  if (TOTP_CODE_PATTERN.test(code)) {
    if (!user.totp_secret_enc) return null;
    const lastStep = user.totp_last_step === null ? null : Number(user.totp_last_step);
    const step = await verifyTotp(decryptSecret(user.totp_secret_enc, key), code, lastStep);
    if (step === null) return null;
    await updateUserSecurity(tx, user.id, { totpLastStep: step });
    return 'totp';
  }
  if (!isRecoveryCodeFormat(code)) return null;
  const used = await tx.execute<{ affectedRows: number }>(
    'update recovery_code set used_at = now() where user_id = ? and code_hash = ? and used_at is null',
    [user.id, recoveryCodeDigest(code)],
    'run',
  );
  return used.affectedRows === 1 ? 'recovery_code' : null;
}

const MFA_USER_SELECT = `
  select id, login_email, name, contact_email, password_hash, activated, must_change_password, mfa_enabled,
         totp_secret_enc, totp_pending_secret_enc, totp_last_step
    from app_user`;

/** Locks the user row (serialising code checks, so parallel replays are refused) and reads its MFA state. */
export async function lockUserForMfa(tx: EntityManager, userId: string): Promise<MfaUserRow> {
  const [user] = await tx.execute<MfaUserRow[]>(`${MFA_USER_SELECT} where id = ? for update`, [userId]);
  if (!user) throw new AppError('UNAUTHENTICATED', 'the account no longer exists');
  return user;
}

/** The user holding this login email (already lower-cased), with its sign-in and MFA state; null when none. */
export async function findSignInUser(em: EntityManager, loginEmail: string): Promise<MfaUserRow | null> {
  const [user] = await em.execute<MfaUserRow[]>(`${MFA_USER_SELECT} where login_email = ?`, [loginEmail]);
  return user ?? null;
}

/** Replaces the user's recovery codes by the digests given (inside the caller's transaction). */
export async function replaceRecoveryCodes(
  tx: EntityManager,
  userId: string,
  digests: string[],
): Promise<void> {
  await deleteRecoveryCodes(tx, userId);
  await tx.execute(
    `insert into recovery_code (id, user_id, code_hash, used_at, created_at)
     select gen_random_uuid(), ?, h, null, now() from unnest(?::text[]) as h`,
    [userId, pgTextArray(digests)],
  );
}

export async function deleteRecoveryCodes(tx: EntityManager, userId: string): Promise<void> {
  await tx.execute('delete from recovery_code where user_id = ?', [userId]);
}

export interface AccountSecurityRow {
  mfaEnabled: boolean;
  totpEnrolled: boolean;
  totpPending: boolean;
  passwordChangedAt: Date | null;
  lastLoginAt: Date | null;
  recoveryCodesRemaining: number;
  activeSessions: number;
}

/** The account-security overview of a user: MFA state, unused recovery codes and live sessions. */
export async function readAccountSecurity(
  em: EntityManager,
  userId: string,
): Promise<AccountSecurityRow | null> {
  const [row] = await em.execute<
    {
      mfa_enabled: boolean;
      totp_enrolled: boolean;
      totp_pending: boolean;
      password_changed_at: Date | null;
      last_login_at: Date | null;
      recovery_codes_remaining: string;
      active_sessions: string;
    }[]
  >(
    `select u.mfa_enabled, u.totp_secret_enc is not null as totp_enrolled,
            u.totp_pending_secret_enc is not null as totp_pending, u.password_changed_at, u.last_login_at,
            (select count(*) from recovery_code r where r.user_id = u.id and r.used_at is null)
              as recovery_codes_remaining,
            (select count(*) from session s where s.user_id = u.id and s.expires_at > now()
                and s.absolute_expires_at > now()) as active_sessions
       from app_user u where u.id = ?`,
    [userId],
  );
  if (!row) return null;
  return {
    mfaEnabled: row.mfa_enabled,
    totpEnrolled: row.totp_enrolled,
    totpPending: row.totp_pending,
    passwordChangedAt: row.password_changed_at,
    lastLoginAt: row.last_login_at,
    recoveryCodesRemaining: Number(row.recovery_codes_remaining),
    activeSessions: Number(row.active_sessions),
  };
}
