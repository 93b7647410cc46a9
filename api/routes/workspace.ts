// The caller's workspace: read it, rename it, change its settings.
import type { Context } from 'hono';
import { notFound } from '../../domain/errors';
import { updateWorkspace } from '../../domain/workspace/update-workspace';
import { findWorkspace } from '../../db/store/workspaces';
import { actorOf } from '../actor';
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

const SETTINGS_MAX_BYTES = 16 * 1024;

const WorkspaceView = z
  .object({
    id: z.uuid(),
    kind: z.enum(['TENANT', 'PARTNER', 'MERCHANT']),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()),
    tenantId: z.uuid(),
    status: z.string(),
    createdAt: z.string(),
  })
  .openapi('Workspace');

const PatchWorkspaceBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    settings: z
      .record(z.string().min(1).max(100), z.unknown())
      .refine((s) => JSON.stringify(s).length <= SETTINGS_MAX_BYTES, {
        message: `settings must stay under ${SETTINGS_MAX_BYTES} bytes`,
      })
      .optional()
      .openapi({ description: 'Merged into the current settings (top-level keys replaced)' }),
  })
  .refine((b) => b.name !== undefined || b.settings !== undefined, { message: 'nothing to change' })
  .openapi('PatchWorkspace');

async function loadWorkspace(c: Context<AppEnv>) {
  const row = await findWorkspace(c.get('em'), c.get('auth').workspace.id);
  if (!row) throw notFound('workspace');
  return {
    id: row.id,
    kind: row.kind as 'TENANT' | 'PARTNER' | 'MERCHANT',
    name: row.name,
    settings: row.settings ?? {},
    tenantId: row.tenant,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
  };
}

export const workspaceRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace',
      tags: ['Workspace'],
      summary: 'The caller’s workspace',
      access: 'member',
      responses: { 200: jsonContent(WorkspaceView, 'The workspace'), ...COMMON_ERRORS },
    }),
    async (c) => c.json(await loadWorkspace(c), 200),
  )
  .openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/workspace',
      tags: ['Workspace'],
      summary: 'Rename the workspace or change its settings',
      access: 'settings.business.edit',
      request: { body: jsonBody(PatchWorkspaceBody) },
      responses: {
        200: jsonContent(WorkspaceView, 'The updated workspace'),
        ...COMMON_ERRORS,
        413: problemResponse('PAYLOAD_TOO_LARGE'),
      },
    }),
    async (c) => {
      await updateWorkspace(c.get('em'), c.req.valid('json'), actorOf(c));
      return c.json(await loadWorkspace(c), 200);
    },
  );
