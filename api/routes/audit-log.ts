// The tenant's audit log (every workspace of the tenant), newest first, with filters and keyset pagination.
import { AppError } from '../../domain/errors';
import { listAuditLog } from '../../db/store/audit-log';
import { decodeCursor, pageAnswer } from '../pagination';
import {
  COMMON_ERRORS,
  createRouter,
  DateTimeSchema,
  defineRoute,
  jsonContent,
  PageQuery,
  pageOf,
  z,
} from '../openapi';

const AuditQuery = PageQuery.extend({
  action: z.string().max(100).optional(),
  actorId: z.uuid().optional(),
  from: DateTimeSchema.optional(),
  to: DateTimeSchema.optional(),
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
    const cursor = decodeCursor(query.cursor);
    if (cursor && !/^\d+$/.test(cursor.id))
      throw new AppError('VALIDATION_FAILED', 'the cursor is not valid');
    const rows = await listAuditLog(
      c.get('em'),
      { tenantId: c.get('auth').workspace.tenantId, ...query },
      { limit: query.limit, after: cursor },
    );
    return c.json(
      pageAnswer(rows, query.limit, (r) => ({
        id: r.id,
        action: r.action,
        actorId: r.actorUserId,
        workspaceId: r.workspaceId,
        targetType: r.targetType,
        targetId: r.targetId,
        data: r.data,
        ip: r.ip,
        requestId: r.requestId,
        createdAt: r.createdAt.toISOString(),
      })),
      200,
    );
  },
);
