// The caller's workspace: read it, rename it, change its settings.
import type { Context } from 'hono';
import { AppError, notFound } from '../../domain/errors';
import { recordAudit } from '../../db/store/audit';
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

interface WorkspaceRow {
  id: string;
  kind: 'TENANT' | 'PARTNER' | 'MERCHANT';
  name: string;
  settings: Record<string, unknown>;
  tenant_id: string;
  status: string;
  created_at: Date;
}

async function loadWorkspace(c: Context<AppEnv>) {
  const [row] = await c
    .get('em')
    .execute<WorkspaceRow[]>(
      'select id, kind, name, settings, tenant_id, status, created_at from workspace where id = ?',
      [c.get('auth').workspace.id],
    );
  if (!row) throw notFound('workspace');
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    settings: row.settings ?? {},
    tenantId: row.tenant_id,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
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
      const body = c.req.valid('json');
      const auth = c.get('auth');
      await c.get('em').transactional(async (tx) => {
        const res = await tx.execute<{ affectedRows: number }>(
          `update workspace set name = coalesce(?, name), settings = settings || ?::jsonb where id = ?`,
          [body.name ?? null, JSON.stringify(body.settings ?? {}), auth.workspace.id],
          'run',
        );
        if (res.affectedRows !== 1) throw new AppError('NOT_FOUND', 'workspace not found');
        await recordAudit(tx, {
          tenantId: auth.workspace.tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'workspace.updated',
          targetType: 'workspace',
          targetId: auth.workspace.id,
          data: {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.settings ? { settingsKeys: Object.keys(body.settings) } : {}),
          },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
      });
      return c.json(await loadWorkspace(c), 200);
    },
  );
