// Workspace roles: list with member counts, create, edit and delete (system roles are protected).
import type { Context } from 'hono';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound } from '../../domain/errors';
import { ADMIN_ROLE_NAME } from '../../domain/permissions';
import { assertCanManageRole, assertGrantable, normalisePermissions } from '../../domain/roles';
import { recordAudit, type AuditEntry } from '../../db/store/audit';
import { pgTextArray } from '../../db/sql';
import type { AppEnv } from '../context';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';
import { clientIp } from '../throttle';

const RoleView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    permissions: z.array(z.string()),
    system: z.boolean(),
    memberCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Role');

const PermissionKeys = z.array(z.string().min(1).max(100)).max(100);

const CreateRoleBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().optional(),
    permissions: PermissionKeys,
  })
  .openapi('CreateRole');

const PatchRoleBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    permissions: PermissionKeys.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' })
  .openapi('PatchRole');

const RoleIdParam = z.object({ roleId: z.uuid().openapi({ param: { name: 'roleId', in: 'path' } }) });

export interface RoleRow {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  system: boolean;
  created_at: Date;
  member_count?: string;
}

const ROLE_COLUMNS = `r.id, r.name, r.description, r.permissions, r.system, r.created_at,
  (select count(*) from membership m where m.role_id = r.id) as member_count`;

function toView(r: RoleRow) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    system: r.system,
    memberCount: Number(r.member_count ?? 0),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** A role of this workspace (another workspace's role answers 404); `lock` takes a row lock. */
export async function loadRole(
  em: EntityManager,
  workspaceId: string,
  roleId: string,
  lock: 'for update' | 'for share' | '' = '',
): Promise<RoleRow> {
  const [row] = await em.execute<RoleRow[]>(
    `select r.id, r.name, r.description, r.permissions, r.system, r.created_at
       from role r where r.id = ? and r.workspace_id = ? ${lock}`,
    [roleId, workspaceId],
  );
  if (!row) throw notFound('role');
  return row;
}

async function roleView(em: EntityManager, roleId: string) {
  const [row] = await em.execute<RoleRow[]>(`select ${ROLE_COLUMNS} from role r where r.id = ?`, [roleId]);
  if (!row) throw notFound('role');
  return toView(row);
}

function audit(
  c: Context<AppEnv>,
  action: string,
  roleId: string,
  data: Record<string, unknown>,
): AuditEntry {
  const auth = c.get('auth');
  return {
    tenantId: auth.workspace.tenantId,
    workspaceId: auth.workspace.id,
    actorUserId: auth.user.id,
    action,
    targetType: 'role',
    targetId: roleId,
    data,
    ip: clientIp(c),
    requestId: c.get('requestId'),
  };
}

function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === '23503' || e.cause?.code === '23503';
}

export const rolesRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/roles',
      tags: ['Roles'],
      summary: 'Roles of the workspace with how many members hold each',
      access: 'settings.team.view',
      responses: { 200: jsonContent(z.object({ data: z.array(RoleView) }), 'Roles'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const rows = await c
        .get('em')
        .execute<RoleRow[]>(
          `select ${ROLE_COLUMNS} from role r where r.workspace_id = ? order by r.system desc, r.created_at, r.name`,
          [c.get('auth').workspace.id],
        );
      return c.json({ data: rows.map(toView) }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/workspace/roles',
      tags: ['Roles'],
      summary: 'Create a role (only with permissions the caller holds)',
      access: 'settings.team.manage',
      request: { body: jsonBody(CreateRoleBody) },
      responses: {
        201: jsonContent(RoleView, 'The new role'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: a role with this name exists'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      assertGrantable(auth.workspace.kind, auth.permissions, body.permissions);
      const permissions = normalisePermissions(body.permissions);
      const id = randomUUID();
      const em = c.get('em');
      await em.transactional(async (tx) => {
        const [taken] = await tx.execute(
          'select 1 from role where workspace_id = ? and lower(name) = lower(?)',
          [auth.workspace.id, body.name],
        );
        if (taken) throw conflict(`a role named ${body.name} already exists`);
        await tx.execute(
          `insert into role (id, workspace_id, name, description, permissions, system, created_at)
           values (?, ?, ?, ?, ?::text[], false, now())`,
          [id, auth.workspace.id, body.name, body.description ?? null, pgTextArray(permissions)],
        );
        await recordAudit(tx, audit(c, 'role.created', id, { name: body.name, permissions }));
      });
      return c.json(await roleView(em, id), 201);
    },
  )
  .openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/workspace/roles/{roleId}',
      tags: ['Roles'],
      summary: 'Rename a role or change its permissions (applies to its members’ next request)',
      access: 'settings.team.manage',
      request: { params: RoleIdParam, body: jsonBody(PatchRoleBody) },
      responses: {
        200: jsonContent(RoleView, 'The updated role'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: system role names and the Admin role’s permissions are fixed'),
      },
    }),
    async (c) => {
      const { roleId } = c.req.valid('param');
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const em = c.get('em');
      await em.transactional(async (tx) => {
        const role = await loadRole(tx, auth.workspace.id, roleId, 'for update');
        assertCanManageRole(auth.permissions, role);
        if (role.system && body.name !== undefined && body.name !== role.name) {
          throw conflict('a system role cannot be renamed');
        }
        let permissions: string[] | null = null;
        if (body.permissions) {
          assertGrantable(auth.workspace.kind, auth.permissions, body.permissions);
          permissions = normalisePermissions(body.permissions);
          const same = permissions.join() === normalisePermissions(role.permissions).join();
          if (role.system && role.name === ADMIN_ROLE_NAME && !same) {
            throw conflict('the Admin role always holds every permission');
          }
        }
        if (body.name !== undefined && body.name.toLowerCase() !== role.name.toLowerCase()) {
          const [taken] = await tx.execute(
            'select 1 from role where workspace_id = ? and lower(name) = lower(?) and id <> ?',
            [auth.workspace.id, body.name, roleId],
          );
          if (taken) throw conflict(`a role named ${body.name} already exists`);
        }
        await tx.execute(
          `update role set name = coalesce(?, name),
                  description = case when ? then ? else description end,
                  permissions = coalesce(?::text[], permissions)
            where id = ?`,
          [
            body.name ?? null,
            body.description !== undefined,
            body.description ?? null,
            permissions ? pgTextArray(permissions) : null,
            roleId,
          ],
        );
        await recordAudit(
          tx,
          audit(c, 'role.updated', roleId, {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.description !== undefined ? { description: body.description } : {}),
            ...(permissions ? { permissions, previousPermissions: role.permissions } : {}),
          }),
        );
      });
      return c.json(await roleView(em, roleId), 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/workspace/roles/{roleId}',
      tags: ['Roles'],
      summary: 'Delete a role no member holds',
      access: 'settings.team.manage',
      request: { params: RoleIdParam },
      responses: {
        204: { description: 'Deleted' },
        ...COMMON_ERRORS,
        409: problemResponse('ROLE_IN_USE while any member holds it; CONFLICT for a system role'),
      },
    }),
    async (c) => {
      const { roleId } = c.req.valid('param');
      const auth = c.get('auth');
      const inUse = () =>
        new AppError('ROLE_IN_USE', 'members still hold this role; give them another role first');
      try {
        await c.get('em').transactional(async (tx) => {
          const role = await loadRole(tx, auth.workspace.id, roleId, 'for update');
          if (role.system) throw conflict('a system role cannot be deleted');
          assertCanManageRole(auth.permissions, role);
          const [holder] = await tx.execute('select 1 from membership where role_id = ? limit 1', [roleId]);
          if (holder) throw inUse();
          await tx.execute('delete from role where id = ?', [roleId]);
          await recordAudit(
            tx,
            audit(c, 'role.deleted', roleId, { name: role.name, permissions: role.permissions }),
          );
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) throw inUse();
        throw err;
      }
      return c.body(null, 204);
    },
  );
