// Tenant administration of merchants: the onboarding applications (reads; approve and reject as updates of the
// application's workflow, which answers with the decided application) and the merchants (reads, suspension).
import type { Context } from 'hono';
import { AppError, notFound } from '../../domain/errors';
import {
  approveApplicationUpdate,
  MERCHANT_APPLICATION_STATUSES,
  MERCHANT_STATUSES,
  merchantApplicationWorkflowId,
  rejectApplicationUpdate,
  type MerchantDecider,
} from '../../domain/merchants/contract';
import { decisionRefusal } from '../../domain/merchants/rules';
import { updateWorkflow } from '../../domain/workflow-start';
import { findApplication, listApplications } from '../../db/store/merchants';
import { actorOf } from '../actor';
import type { AppEnv } from '../context';
import { ownerRoutes, tenantPage } from '../owner-routes';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonBody,
  jsonContent,
  pageOf,
  PageQuery,
  problemResponse,
  z,
} from '../openapi';

const ApplicationOut = z
  .object({
    id: z.uuid(),
    status: z.enum(MERCHANT_APPLICATION_STATUSES),
    businessName: z.string(),
    contactName: z.string(),
    email: z.string(),
    country: z.string(),
    website: z.string().nullable(),
    currencies: z.array(z.string()),
    merchantId: z.uuid().nullable(),
    decidedBy: z.uuid().nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('MerchantApplication');

const MerchantOut = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(MERCHANT_STATUSES),
    workspaceId: z.uuid().nullable(),
    adminUserId: z.uuid().nullable(),
    adminEmail: z.string(),
    applicationId: z.uuid().nullable(),
    wallets: z.array(z.object({ id: z.uuid(), currency: z.string() })),
    failureReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Merchant');

const RejectBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(1000).openapi({ example: 'We cannot serve this business type' }),
  })
  .openapi('RejectMerchantApplication');

const ApplicationQuery = PageQuery.extend({ status: z.enum(MERCHANT_APPLICATION_STATUSES).optional() });
const MerchantQuery = PageQuery.extend({ status: z.enum(MERCHANT_STATUSES).optional() });

/** The application must be this tenant's (404) and still undecided (409) before its workflow is asked. */
async function decidableApplication(c: Context<AppEnv>, id: string): Promise<void> {
  const app = await findApplication(c.get('em'), c.get('auth').workspace.tenantId, id);
  if (!app) throw notFound('merchant application');
  const refusal = decisionRefusal(app.status);
  if (refusal) throw new AppError('CONFLICT', refusal);
}

function deciderOf(c: Context<AppEnv>): MerchantDecider {
  const actor = actorOf(c);
  return { userId: actor.userId, workspaceId: actor.workspaceId, ip: actor.ip, requestId: actor.requestId };
}

const DECIDED = problemResponse('CONFLICT: the application is already decided or expired');

export const tenantMerchantsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/merchant-applications',
      tags: ['Merchants'],
      summary: "The tenant's merchant applications, newest first (filter: status)",
      access: 'tenant.merchants.manage',
      request: { query: ApplicationQuery },
      responses: { 200: jsonContent(pageOf(ApplicationOut), 'A page of applications'), ...COMMON_ERRORS },
    }),
    async (c) => c.json(await tenantPage(c, c.req.valid('query'), listApplications), 200),
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/merchant-applications/{id}',
      tags: ['Merchants'],
      summary: 'A merchant application',
      access: 'tenant.merchants.manage',
      request: { params: IdParam },
      responses: { 200: jsonContent(ApplicationOut, 'The application'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const app = await findApplication(
        c.get('em'),
        c.get('auth').workspace.tenantId,
        c.req.valid('param').id,
      );
      if (!app) throw notFound('merchant application');
      return c.json(app, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/merchant-applications/{id}/approve',
      tags: ['Merchants'],
      summary: 'Approve an application: APPROVED with its merchant, which a workflow provisions',
      access: 'tenant.merchants.manage',
      request: { params: IdParam },
      responses: {
        200: jsonContent(ApplicationOut, 'The approved application (merchantId set)'),
        ...COMMON_ERRORS,
        409: DECIDED,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await decidableApplication(c, id);
      const app = await updateWorkflow(
        c.get('deps').temporal,
        merchantApplicationWorkflowId(id),
        approveApplicationUpdate,
        { args: [deciderOf(c)] },
      );
      return c.json(app, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/merchant-applications/{id}/reject',
      tags: ['Merchants'],
      summary: 'Reject an application with a reason; the applicant is told by email',
      access: 'tenant.merchants.manage',
      request: { params: IdParam, body: jsonBody(RejectBody) },
      responses: {
        200: jsonContent(ApplicationOut, 'The rejected application'),
        ...COMMON_ERRORS,
        409: DECIDED,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      await decidableApplication(c, id);
      const app = await updateWorkflow(
        c.get('deps').temporal,
        merchantApplicationWorkflowId(id),
        rejectApplicationUpdate,
        { args: [{ ...deciderOf(c), reason }] },
      );
      return c.json(app, 200);
    },
  )
  .route(
    '/',
    ownerRoutes({
      kind: 'merchant',
      path: '/v1/tenant/merchants',
      tag: 'Merchants',
      access: 'tenant.merchants.manage',
      Out: MerchantOut,
      ListQuery: MerchantQuery,
      summaries: {
        list: "The tenant's merchants, newest first (filter: status)",
        one: 'A merchant with its wallets',
        suspend:
          "Suspend a merchant: its members' sessions end and they can neither log in nor start transfers",
        reactivate: 'Reactivate a suspended merchant',
      },
    }),
  );
