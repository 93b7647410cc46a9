// Second-factor checks on a row-locked user: a TOTP step is accepted once, a recovery code is consumed once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
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
    await tx.execute('update app_user set totp_last_step = ? where id = ?', [step, user.id]);
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

/** Locks the user row (serialising code checks, so parallel replays are refused) and reads its MFA state. */
export async function lockUserForMfa(tx: EntityManager, userId: string): Promise<MfaUserRow> {
  const [user] = await tx.execute<MfaUserRow[]>(
    `select id, login_email, name, contact_email, password_hash, activated, must_change_password, mfa_enabled,
            totp_secret_enc, totp_pending_secret_enc, totp_last_step
       from app_user where id = ? for update`,
    [userId],
  );
  if (!user) throw new AppError('UNAUTHENTICATED', 'the account no longer exists');
  return user;
}
