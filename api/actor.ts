// The command layer's view of the caller: the Actor and request origin built from the request context.
import type { Context } from 'hono';
import type { Actor, RequestOrigin } from '../domain/identity/actor';
import type { AppEnv } from './context';
import { clientIp } from './client-ip';

export function originOf(c: Context<AppEnv>): RequestOrigin {
  return { ip: clientIp(c), requestId: c.get('requestId') };
}

export function actorOf(c: Context<AppEnv>): Actor {
  const auth = c.get('auth');
  return {
    userId: auth.user.id,
    tenantId: auth.workspace.tenantId,
    workspaceId: auth.workspace.id,
    workspaceKind: auth.workspace.kind,
    permissions: auth.permissions,
    ...originOf(c),
  };
}
