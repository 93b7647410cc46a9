// Every entity the ORM knows; each area adds its file here.
import { AuditLog } from './audit';
import { ChannelProduct } from './channels';
import { Membership, PendingCredential, Role, Session, User } from './identity';
import { Tenant, Workspace } from './tenancy';

export const entities = [
  Tenant,
  Workspace,
  User,
  Role,
  Membership,
  Session,
  PendingCredential,
  AuditLog,
  ChannelProduct,
];

export * from './audit';
export * from './channels';
export * from './identity';
export * from './tenancy';
