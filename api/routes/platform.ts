// The installation operator's routes: creating tenants (through the tenant-provisioning workflow).
import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { hashPassword, PasswordSchema } from '../../domain/passwords';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { DEFAULT_CHANNEL_PRODUCTS, findUserIdByEmail } from '../../db/store/tenancy';
import { operationAttributes } from '../../workflows/search-attributes';
import type { provisionTenantWorkflow } from '../../workflows/provision-tenant';
import { executeWorkflow } from '../temporal';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';

export const EmailSchema = z
  .email()
  .max(320)
  .transform((e) => e.toLowerCase());

const CreateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    adminEmail: EmailSchema,
    adminName: z.string().trim().min(1).max(200),
    adminPassword: PasswordSchema,
  })
  .openapi('CreateTenant');

const TenantCreated = z
  .object({ id: z.uuid(), name: z.string(), adminUserId: z.uuid() })
  .openapi('TenantCreated');

const CREDENTIAL_TTL_MS = 15 * 60_000;

export const platformRouter = createRouter().openapi(
  defineRoute({
    method: 'post',
    path: '/v1/platform/tenants',
    tags: ['Platform'],
    summary: 'Create a tenant with its admin, system roles and default channel products',
    access: 'platform',
    request: { body: jsonBody(CreateTenantBody) },
    responses: {
      201: jsonContent(TenantCreated, 'The tenant is ready'),
      ...COMMON_ERRORS,
      409: problemResponse('CONFLICT: the admin email is already in use'),
      413: problemResponse('PAYLOAD_TOO_LARGE'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const { temporal, taskQueue } = c.get('deps');
    const em = c.get('em');
    if (await findUserIdByEmail(em, body.adminEmail)) {
      throw new AppError('CONFLICT', `the email ${body.adminEmail} is already in use`);
    }
    const credentialId = randomUUID();
    await em.execute(
      'insert into pending_credential (id, password_hash, expires_at, created_at) values (?, ?, ?, now())',
      [credentialId, await hashPassword(body.adminPassword), new Date(Date.now() + CREDENTIAL_TTL_MS)],
    );
    const tenantId = randomUUID();
    const workspaceId = randomUUID();
    const result = await executeWorkflow<typeof provisionTenantWorkflow>(
      temporal,
      'provisionTenantWorkflow',
      {
        taskQueue,
        workflowId: `tenant-provisioning-${tenantId}`,
        typedSearchAttributes: operationAttributes(tenantId, workspaceId),
        args: [
          {
            tenantId,
            name: body.name,
            workspaceId,
            roleIds: Object.fromEntries(SYSTEM_ROLES.map((r) => [r.name, randomUUID()])),
            channelProductIds: Object.fromEntries(
              DEFAULT_CHANNEL_PRODUCTS.map((p) => [p.code, randomUUID()]),
            ),
            admin: {
              userId: randomUUID(),
              membershipId: randomUUID(),
              email: body.adminEmail,
              name: body.adminName,
              credentialId,
            },
          },
        ],
      },
    );
    return c.json({ id: result.tenantId, name: body.name, adminUserId: result.adminUserId }, 201);
  },
);
