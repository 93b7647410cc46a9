// Tenants (institutions) and their workspaces (the tenant's own, partners', later merchants').
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenant',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    status: p.string().length(20).default('ACTIVE'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export const Workspace = defineEntity({
  name: 'Workspace',
  tableName: 'workspace',
  properties: {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    kind: p.string().length(20),
    name: p.string().length(200),
    settings: p.json<Record<string, unknown>>().defaultRaw("'{}'"),
    /** SUSPENDED blocks every member's login and new transfers (a suspended partner). */
    status: p.string().length(20).default('ACTIVE'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type TenantEntity = InferEntity<typeof Tenant>;
export type WorkspaceEntity = InferEntity<typeof Workspace>;
