// The tenant's audit log (every workspace of the tenant), newest first, with filters and keyset pagination.
import { AppError } from '../../domain/errors';
import { decodeCursor, pageFrom } from '../pagination';
import { COMMON_ERRORS, createRouter, defineRoute, jsonContent, PageQuery, pageOf, z } from '../openapi';

const AuditQuery = PageQuery.extend({
  action: z.string().max(100).optional(),
  actorId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const AuditEntry = z
  .object({
    id: z.string(),
    action: z.string(),
    actorId: z.string().nullable(),
    workspaceId: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('AuditEntry');

interface AuditRow {
  id: string;
  action: string;
  actor_user_id: string | null;
  workspace_id: string | null;
  target_type: string | null;
  target_id: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
  created_at: Date;
}

export const auditLogRouter = createRouter().openapi(
  defineRoute({
    method: 'get',
    path: '/v1/tenant/audit-log',
    tags: ['Tenant'],
    summary: 'The audit log of the tenant and its partners',
    description: '`action` matches exactly, or a prefix when it ends with `.*` (e.g. `invitation.*`).',
    access: 'tenant.audit.view',
    request: { query: AuditQuery },
    responses: { 200: jsonContent(pageOf(AuditEntry), 'A page of audit entries'), ...COMMON_ERRORS },
  }),
  async (c) => {
    const query = c.req.valid('query');
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
      throw new AppError('VALIDATION_FAILED', '`from` is after `to`', {
        errors: [{ path: 'query.from', message: 'must not be after to' }],
      });
    }
    const clauses = ['tenant_id = ?'];
    const params: unknown[] = [c.get('auth').workspace.tenantId];
    if (query.action?.endsWith('.*')) {
      clauses.push(`starts_with(action, ?)`);
      params.push(query.action.slice(0, -1));
    } else if (query.action) {
      clauses.push('action = ?');
      params.push(query.action);
    }
    if (query.actorId) {
      clauses.push('actor_user_id = ?');
      params.push(query.actorId);
    }
    if (query.from) {
      clauses.push('created_at >= ?::timestamptz');
      params.push(query.from);
    }
    if (query.to) {
      clauses.push('created_at < ?::timestamptz');
      params.push(query.to);
    }
    const cursor = decodeCursor(query.cursor);
    if (cursor) {
      if (!/^\d+$/.test(cursor.id)) throw new AppError('VALIDATION_FAILED', 'the cursor is not valid');
      clauses.push(`(date_trunc('milliseconds', created_at), id) < (?::timestamptz, ?::bigint)`);
      params.push(cursor.createdAt, cursor.id);
    }
    const rows = await c.get('em').execute<AuditRow[]>(
      `select id, action, actor_user_id, workspace_id, target_type, target_id, data, ip, request_id, created_at
         from audit_log where ${clauses.join(' and ')} order by date_trunc('milliseconds', created_at) desc, id desc limit ?`,
      [...params, query.limit + 1],
    );
    const page = pageFrom(
      rows.map((r) => ({ ...r, id: String(r.id), createdAt: new Date(r.created_at) })),
      query.limit,
    );
    return c.json(
      {
        data: page.rows.map((r) => ({
          id: r.id,
          action: r.action,
          actorId: r.actor_user_id,
          workspaceId: r.workspace_id,
          targetType: r.target_type,
          targetId: r.target_id,
          data: r.data,
          ip: r.ip,
          requestId: r.request_id,
          createdAt: r.createdAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      },
      200,
    );
  },
);
