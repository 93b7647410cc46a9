// The dependencies and per-request variables every route handler sees.
import type { Client } from '@temporalio/client';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../domain/config';
import type { Logger } from '../domain/logger';
import type { PermissionKey, WorkspaceKind } from '../domain/permissions';

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  temporal: Client;
  logger: Logger;
  /** Task queue workflows started by this API run on. */
  taskQueue: string;
}

/** Who is calling, resolved from the session on every request (never cached across requests). */
export interface AuthContext {
  sessionId: string;
  viaCookie: boolean;
  user: {
    id: string;
    loginEmail: string;
    name: string;
    contactEmail: string | null;
    mustChangePassword: boolean;
  };
  workspace: { id: string; kind: WorkspaceKind; name: string; tenantId: string };
  membershipId: string;
  role: { id: string; name: string };
  permissions: Set<PermissionKey>;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    em: EntityManager;
    requestId: string;
    auth: AuthContext;
  };
}
