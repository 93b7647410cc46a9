// Workspace roles: list with member counts, create, edit and delete (system roles are protected).
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../domain/errors';
import { createRole } from '../../domain/workspace/create-role';
import { deleteRole } from '../../domain/workspace/delete-role';
import { updateRole } from '../../domain/workspace/update-role';
import { findRoleWithCount, listRolesWithCounts } from '../../db/store/roles';
import { actorOf } from '../actor';
import { roleJson } from '../render/roles';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';

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

async function roleView(em: EntityManager, roleId: string) {
  const role = await findRoleWithCount(em, roleId);
  if (!role) throw notFound('role');
  return roleJson(role);
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
      const roles = await listRolesWithCounts(c.get('em'), c.get('auth').workspace.id);
      return c.json({ data: roles.map(roleJson) }, 200);
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
      const em = c.get('em');
      const id = await createRole(em, { ...body, description: body.description ?? null }, actorOf(c));
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
      const em = c.get('em');
      await updateRole(em, { roleId, ...c.req.valid('json') }, actorOf(c));
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
      await deleteRole(c.get('em'), { roleId }, actorOf(c));
      return c.body(null, 204);
    },
  );
