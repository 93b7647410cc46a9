// Invitations, password resets, the email outbox, tenant notification settings and webhook deliveries.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Role, User } from './identity';
import { Event, WebhookEndpoint } from './events';
import { Tenant, Workspace } from './tenancy';

/** An invitation to a workspace; only the SHA-256 of its current token is stored. */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitation',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    workspace: p.manyToOne(Workspace).mapToPk().deleteRule('cascade'),
    email: p.string().length(320).index(),
    role: p.manyToOne(Role).mapToPk().deleteRule('cascade'),
    /** PENDING, ACCEPTED, DECLINED, REVOKED or EXPIRED. */
    status: p.string().length(20).default('PENDING'),
    tokenHash: p.string().length(64).nullable().unique().hidden(),
    expiresAt: p.datetime(),
    invitedBy: p.manyToOne(User).mapToPk().fieldNames('invited_by').nullable().deleteRule('set null'),
    acceptedUserId: p.uuid().nullable(),
    respondedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['workspace', 'createdAt'] }],
  uniques: [
    {
      name: 'invitation_pending_email_unique',
      properties: ['workspace', 'email'],
      where: `"status" = 'PENDING'`,
    },
  ],
});

/** A single-use password-reset token (digest only); a newer request supersedes older ones. */
export const PasswordReset = defineEntity({
  name: 'PasswordReset',
  tableName: 'password_reset',
  properties: {
    id: p.uuid().primary(),
    user: p.manyToOne(User).mapToPk().index().deleteRule('cascade'),
    tokenHash: p.string().length(64).nullable().unique().hidden(),
    /** PENDING, USED, SUPERSEDED or EXPIRED. */
    status: p.string().length(20).default('PENDING'),
    requestedBy: p.uuid().nullable(),
    workspaceId: p.uuid().nullable(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** One row per outgoing message key: the outbox (no SMTP) keeps bodies; SMTP rows only record the send. */
export const EmailOutbox = defineEntity({
  name: 'EmailOutbox',
  tableName: 'email_outbox',
  properties: {
    id: p.uuid().primary(),
    messageKey: p.string().length(200).unique(),
    toAddress: p.string().length(320),
    subject: p.string().length(300),
    textBody: p.text().nullable(),
    htmlBody: p.text().nullable(),
    /** SMTP or OUTBOX. */
    transport: p.string().length(20),
    /** PENDING (SMTP send in flight) or SENT. */
    status: p.string().length(20),
    sentAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['toAddress', 'createdAt'] }],
});

export const NotificationSettings = defineEntity({
  name: 'NotificationSettings',
  tableName: 'notification_settings',
  properties: {
    tenant: p.manyToOne(Tenant).mapToPk().primary().deleteRule('cascade').updateRule('no action'),
    webhookUrl: p.string().length(2048).nullable(),
    /** AES-256-GCM encrypted signing secret (domain/webhooks.ts). */
    webhookSecretEnc: p.string().length(500).nullable().hidden(),
    events: p.array().defaultRaw("'{}'"),
    emailEnabled: p.boolean().default(false),
    updatedBy: p.uuid().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk().deleteRule('cascade'),
    eventKey: p.string().length(300).unique(),
    /** The outbox event delivered (null for deliveries of the old per-notification workflow). */
    sourceEvent: p.manyToOne(Event).mapToPk().fieldNames('event_id').nullable().deleteRule('cascade'),
    /** The workspace endpoint it goes to; null: the tenant's subscription (notification settings). */
    endpoint: p.manyToOne(WebhookEndpoint).mapToPk().nullable().deleteRule('cascade'),
    event: p.string().length(100),
    url: p.string().length(2048),
    payload: p.json<Record<string, unknown>>(),
    /** PENDING, SUCCEEDED (DELIVERED in rows of the old workflow) or FAILED (gave up). */
    status: p.string().length(20).default('PENDING'),
    attempts: p.integer().default(0),
    /** Manual retries so far; the delivery workflow of run n is `webhook-delivery-<id>[-retry-<n>]`. */
    runs: p.integer().default(0),
    lastAttemptAt: p.datetime(3).nullable(),
    nextAttemptAt: p.datetime(3).nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.string().length(500).nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }, { properties: ['endpoint', 'createdAt'] }],
});

export const WebhookAttempt = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempt',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    delivery: p.manyToOne(WebhookDelivery).mapToPk().deleteRule('cascade'),
    attempt: p.integer(),
    statusCode: p.integer().nullable(),
    error: p.string().length(500).nullable(),
    durationMs: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['delivery', 'attempt'] }],
});

export type InvitationEntity = InferEntity<typeof Invitation>;
export type PasswordResetEntity = InferEntity<typeof PasswordReset>;
export type EmailOutboxEntity = InferEntity<typeof EmailOutbox>;
export type NotificationSettingsEntity = InferEntity<typeof NotificationSettings>;
export type WebhookDeliveryEntity = InferEntity<typeof WebhookDelivery>;
export type WebhookAttemptEntity = InferEntity<typeof WebhookAttempt>;
