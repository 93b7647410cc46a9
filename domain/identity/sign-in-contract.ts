// What a sign-in answers, shared by the password step and the MFA step.
import type { SignInMembership } from '../../db/store/members';
import type { MfaUserRow } from '../../db/store/mfa';

/** The user as a session shows it. */
export interface SignedInUser {
  id: string;
  loginEmail: string;
  name: string;
  contactEmail: string | null;
  mustChangePassword: boolean;
}

export type SignInOutcome =
  | { kind: 'invalid' }
  | { kind: 'disabled' }
  | { kind: 'mfa'; mfaToken: string }
  | { kind: 'ok'; user: SignedInUser; membership: SignInMembership };

export const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
export const MFA_MAX_ATTEMPTS = 5;

export function signedInUser(u: MfaUserRow): SignedInUser {
  return {
    id: u.id,
    loginEmail: u.login_email,
    name: u.name,
    contactEmail: u.contact_email,
    mustChangePassword: u.must_change_password,
  };
}
