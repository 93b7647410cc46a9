// Account-security state: pending MFA sign-in challenges, recovery codes and throttle counters (all secrets hashed).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './identity';
import { Workspace } from './tenancy';

/** The second step of a sign-in with MFA: short-lived, single-use, only the SHA-256 of the mfaToken stored. */
export const MfaChallenge = defineEntity({
  name: 'MfaChallenge',
  tableName: 'mfa_challenge',
  properties: {
    id: p.uuid().primary(),
    tokenHash: p.string().length(64).unique().hidden(),
    user: p.manyToOne(User).mapToPk().index().deleteRule('cascade'),
    workspace: p.manyToOne(Workspace).mapToPk().deleteRule('cascade'),
    attempts: p.integer().default(0),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A single-use MFA recovery code, stored as a SHA-256 digest. */
export const RecoveryCode = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_code',
  properties: {
    id: p.uuid().primary(),
    user: p.manyToOne(User).mapToPk().deleteRule('cascade'),
    codeHash: p.string().length(64).hidden(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['user', 'codeHash'] }],
});

/**
 * A failure or request counter of the auth throttle; `key` is `<action>:<scope>:<sha256 of the subject>`
 * so no email or address is stored in clear.
 */
export const ThrottleCounter = defineEntity({
  name: 'ThrottleCounter',
  tableName: 'throttle_counter',
  properties: {
    key: p.string().length(200).primary(),
    windowStartedAt: p.datetime(),
    hits: p.integer().default(0),
    blockedUntil: p.datetime().nullable(),
    updatedAt: p.datetime().index(),
  },
});

export type MfaChallengeEntity = InferEntity<typeof MfaChallenge>;
export type RecoveryCodeEntity = InferEntity<typeof RecoveryCode>;
export type ThrottleCounterEntity = InferEntity<typeof ThrottleCounter>;
