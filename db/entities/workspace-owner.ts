// The columns every workspace owner (a partner, a merchant) has: a tenant's organisation with its own workspace
// and admin, provisioned by a saga (PROVISIONING, then ACTIVE or FAILED; ACTIVE and SUSPENDED by the tenant).
import { p } from '@mikro-orm/core';
import { User } from './identity';
import { Tenant, Workspace } from './tenancy';

/** Fresh property builders for an owner entity (each entity gets its own). */
export function workspaceOwnerProperties() {
  return {
    id: p.uuid().primary(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    workspace: p.manyToOne(Workspace).mapToPk().nullable().unique(),
    name: p.string().length(200),
    /** PROVISIONING, ACTIVE, FAILED or SUSPENDED. */
    status: p.string().length(20).default('PROVISIONING'),
    adminUser: p.manyToOne(User).mapToPk().nullable(),
    adminEmail: p.string().length(320),
    currencies: p.array().defaultRaw("'{}'"),
    failureReason: p.string().length(1000).nullable(),
  };
}
