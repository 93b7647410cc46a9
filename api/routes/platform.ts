// The installation operator's routes: creating tenants (through the tenant-provisioning workflow).
import { randomUUID } from 'node:crypto';
import { assertEmailFree } from '../../domain/identity/claim-email';
import { PasswordSchema } from '../../domain/passwords';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { tenantProvisioningWorkflowId } from '../../domain/tenancy/contract';
import { parkAdminCredential } from '../../domain/tenancy/park-admin-credential';
import { executeWorkflow } from '../../domain/workflow-start';
import { DEFAULT_CHANNEL_PRODUCTS } from '../../db/store/tenancy';
import type { provisionTenantWorkflow } from '../../workflows/provision-tenant';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  EmailSchema,
  jsonBody,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';

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
    await assertEmailFree(em, body.adminEmail, 'CONFLICT');
    const credentialId = await parkAdminCredential(em, body.adminPassword);
    const tenantId = randomUUID();
    const workspaceId = randomUUID();
    const result = await executeWorkflow<typeof provisionTenantWorkflow>(
      { temporal, taskQueue },
      {
        workflowType: 'provisionTenantWorkflow',
        workflowId: tenantProvisioningWorkflowId(tenantId),
        searchScope: { tenantId, workspaceId },
        summary: `Provision tenant ${body.name}`,
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
