// Users, workspace memberships, roles and sessions.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Workspace } from './tenancy';

export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.uuid().primary(),
    loginEmail: p.string().length(320).unique(),
    name: p.string().length(200),
    contactEmail: p.string().length(320).nullable(),
    passwordHash: p.string().length(255).nullable().hidden(),
    /** False until the user has set a password of its own (e.g. a provisioned partner admin). */
    activated: p.boolean().default(false),
    mustChangePassword: p.boolean().default(false),
    passwordChangedAt: p.datetime().nullable(),
    lastLoginAt: p.datetime().nullable(),
    mfaEnabled: p.boolean().default(false),
    totpSecretEnc: p.string().length(255).nullable().hidden(),
    totpPendingSecretEnc: p.string().length(255).nullable().hidden(),
    totpLastStep: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const Role = defineEntity({
  name: 'Role',
  tableName: 'role',
  properties: {
    id: p.uuid().primary(),
    workspace: p.manyToOne(Workspace).mapToPk().deleteRule('cascade'),
    name: p.string().length(100),
    description: p.string().length(500).nullable(),
    permissions: p.array().defaultRaw("'{}'"),
    system: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['workspace', 'name'] }],
});

export const Membership = defineEntity({
  name: 'Membership',
  tableName: 'membership',
  properties: {
    id: p.uuid().primary(),
    workspace: p.manyToOne(Workspace).mapToPk().deleteRule('cascade'),
    user: p.manyToOne(User).mapToPk().index(),
    role: p.manyToOne(Role).mapToPk().index(),
    status: p.string().length(20).default('ACTIVE'),
    receiveChargebackEmails: p.boolean().default(false),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
  uniques: [{ properties: ['workspace', 'user'] }],
});

/** A login session; the primary key is the SHA-256 of the bearer token, never the token itself. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: p.string().length(64).primary(),
    user: p.manyToOne(User).mapToPk().index().deleteRule('cascade'),
    workspace: p.manyToOne(Workspace).mapToPk().index().deleteRule('cascade'),
    expiresAt: p.datetime(),
    absoluteExpiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(500).nullable(),
  },
});

export type UserEntity = InferEntity<typeof User>;
export type RoleEntity = InferEntity<typeof Role>;
export type MembershipEntity = InferEntity<typeof Membership>;
export type SessionEntity = InferEntity<typeof Session>;

/**
 * A password hash parked for a workflow to pick up by ID, so no secret enters Temporal history.
 * The consuming activity deletes it.
 */
export const PendingCredential = defineEntity({
  name: 'PendingCredential',
  tableName: 'pending_credential',
  properties: {
    id: p.uuid().primary(),
    passwordHash: p.string().length(255).hidden(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
