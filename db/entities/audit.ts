// Append-only audit trail of security-relevant, configuration and money events.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    tenantId: p.uuid().nullable(),
    workspaceId: p.uuid().nullable(),
    actorUserId: p.uuid().nullable(),
    action: p.string().length(100),
    targetType: p.string().length(50).nullable(),
    targetId: p.string().length(100).nullable(),
    data: p.json<Record<string, unknown>>().defaultRaw("'{}'"),
    ip: p.string().length(64).nullable(),
    requestId: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['tenantId', 'createdAt'] }, { properties: ['tenantId', 'action'] }],
});

export type AuditLogEntity = InferEntity<typeof AuditLog>;
