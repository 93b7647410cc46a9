// Tenant administration of partners: provisioning (through the partner-provisioning workflow), reads, suspension.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../../domain/errors';
import { isKnownCurrency } from '../../domain/money';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { ReferralCodeSchema } from '../../domain/referral-codes';
import { recordAudit } from '../../db/store/audit';
import { pgTextArray } from '../../db/sql';
import {
  emailsInUse,
  findPartner,
  listPartners,
  referralCodeTaken,
  type PartnerView,
} from '../../db/store/partners';
import { operationAttributes } from '../../workflows/search-attributes';
import {
  partnerProvisioningWorkflowId,
  type ProvisionPartnerInput,
  type provisionPartnerWorkflow,
} from '../../workflows/provision-partner';
import type { AppEnv } from '../context';
import { decodeCursor, pageFrom } from '../pagination';
import { clientIp } from '../throttle';
import {
  COMMON_ERRORS,
  CurrencySchema,
  IdParam,
  PageQuery,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  pageOf,
  problemResponse,
  z,
} from '../openapi';
import { EmailSchema } from './platform';

const PartnerStatus = z.enum(['PROVISIONING', 'ACTIVE', 'FAILED', 'SUSPENDED']);

export const KnownCurrencySchema = CurrencySchema.refine(
  isKnownCurrency,
  'not a currency this installation supports',
);

const CreatePartnerBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    adminEmail: EmailSchema,
    adminName: z.string().trim().min(1).max(200),
    currencies: z.array(KnownCurrencySchema).min(1).max(50),
    referralCode: ReferralCodeSchema.optional(),
  })
  .openapi('CreatePartner');

const PartnerAccepted = z
  .object({ id: z.uuid(), status: z.literal('PROVISIONING'), workflowId: z.string() })
  .openapi('PartnerAccepted');

const PartnerOut = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: PartnerStatus,
    workspaceId: z.uuid().nullable(),
    adminUserId: z.uuid().nullable(),
    adminEmail: z.string(),
    wallets: z.array(z.object({ id: z.uuid(), currency: z.string() })),
    referralCode: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Partner');

const ListQuery = PageQuery.extend({
  status: PartnerStatus.optional(),
  name: z.string().trim().min(1).max(200).optional(),
});

/** The IDs of everything provisioning will create, chosen up front so retried steps never create twice. */
export function newProvisioningIds(currencies: readonly string[]) {
  return {
    workspaceId: randomUUID(),
    roleIds: Object.fromEntries(SYSTEM_ROLES.map((r) => [r.name, randomUUID()])),
    adminUserId: randomUUID(),
    membershipId: randomUUID(),
    wallets: currencies.map((currency) => ({ id: randomUUID(), currency })),
    referralCodeId: randomUUID(),
    invitationId: randomUUID(),
  };
}

async function lockPartner(em: EntityManager, tenantId: string, partnerId: string) {
  const [row] = await em.execute<{ id: string; status: string; workspace_id: string | null }[]>(
    'select id, status, workspace_id from partner where id = ? and tenant_id = ? for update',
    [partnerId, tenantId],
  );
  if (!row) throw notFound('partner');
  return row;
}

/** Suspends or reactivates a partner, its workspace and (on suspension) its members' sessions, with the audit row. */
async function changePartnerStatus(
  c: Context<AppEnv>,
  partnerId: string,
  to: 'SUSPENDED' | 'ACTIVE',
): Promise<PartnerView> {
  const auth = c.get('auth');
  const tenantId = auth.workspace.tenantId;
  const from = to === 'SUSPENDED' ? 'ACTIVE' : 'SUSPENDED';
  return c.get('em').transactional(async (tx) => {
    const partner = await lockPartner(tx, tenantId, partnerId);
    if (partner.status === from && partner.workspace_id) {
      await tx.execute(`update partner set status = ?, updated_at = now() where id = ?`, [to, partnerId]);
      await tx.execute('update workspace set status = ? where id = ?', [to, partner.workspace_id]);
      const revoked =
        to === 'SUSPENDED'
          ? await tx.execute<{ affectedRows: number }>(
              'delete from session where workspace_id = ?',
              [partner.workspace_id],
              'run',
            )
          : { affectedRows: 0 };
      await recordAudit(tx, {
        tenantId,
        workspaceId: auth.workspace.id,
        actorUserId: auth.user.id,
        action: to === 'SUSPENDED' ? 'partner.suspended' : 'partner.reactivated',
        targetType: 'partner',
        targetId: partnerId,
        data: { partnerWorkspaceId: partner.workspace_id, sessionsRevoked: revoked.affectedRows },
        ip: clientIp(c),
        requestId: c.get('requestId'),
      });
    } else if (partner.status !== to) {
      throw new AppError(
        'CONFLICT',
        `a ${partner.status} partner cannot be ${to === 'SUSPENDED' ? 'suspended' : 'reactivated'}`,
      );
    }
    return (await findPartner(tx, tenantId, partnerId))!;
  });
}

const statusRoute = (action: 'suspend' | 'reactivate') =>
  defineRoute({
    method: 'post',
    path: `/v1/tenant/partners/{id}/${action}`,
    tags: ['Tenant'],
    summary:
      action === 'suspend'
        ? "Suspend a partner: its members' sessions end and they can neither log in nor start transfers"
        : 'Reactivate a suspended partner',
    access: 'tenant.partners.manage',
    request: { params: IdParam },
    responses: {
      200: jsonContent(PartnerOut, 'The partner'),
      ...COMMON_ERRORS,
      409: problemResponse('CONFLICT: the partner is not in a state that allows this'),
    },
  });

export const tenantPartnersRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/partners',
      tags: ['Tenant'],
      summary: 'Provision a partner: workspace, admin (invited by email), wallets and referral code',
      access: 'tenant.partners.manage',
      request: { body: jsonBody(CreatePartnerBody) },
      responses: {
        202: jsonContent(PartnerAccepted, 'Provisioning has started'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the admin email or the referral code is already in use'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const { temporal, taskQueue, config } = c.get('deps');
      const em = c.get('em');
      const tenantId = auth.workspace.tenantId;
      const currencies = [...new Set(body.currencies)];
      if ((await emailsInUse(em, [body.adminEmail])).size > 0) {
        throw new AppError('CONFLICT', `the email ${body.adminEmail} is already in use`);
      }
      if (body.referralCode && (await referralCodeTaken(em, body.referralCode))) {
        throw new AppError('CONFLICT', `the referral code ${body.referralCode} is already in use`);
      }
      const partnerId = randomUUID();
      const ids = newProvisioningIds(currencies);
      const workflowId = partnerProvisioningWorkflowId(partnerId);
      await em.transactional(async (tx) => {
        await tx.execute(
          `insert into partner (id, tenant_id, name, status, admin_email, admin_name, currencies, created_at, updated_at)
           values (?, ?, ?, 'PROVISIONING', ?, ?, ?::text[], now(), now())`,
          [partnerId, tenantId, body.name, body.adminEmail, body.adminName, pgTextArray(currencies)],
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'partner.provisioning_requested',
          targetType: 'partner',
          targetId: partnerId,
          data: { name: body.name, adminEmail: body.adminEmail, currencies, workflowId },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
      });
      const input: ProvisionPartnerInput = {
        partnerId,
        tenantId,
        name: body.name,
        workspaceId: ids.workspaceId,
        roleIds: ids.roleIds,
        admin: {
          userId: ids.adminUserId,
          membershipId: ids.membershipId,
          email: body.adminEmail,
          name: body.adminName,
        },
        wallets: ids.wallets,
        referralCode: { id: ids.referralCodeId, code: body.referralCode ?? null },
        invitation: { id: ids.invitationId, ttlMs: config.INVITATION_TTL_MS },
        actorUserId: auth.user.id,
      };
      try {
        await temporal.workflow.start<typeof provisionPartnerWorkflow>('provisionPartnerWorkflow', {
          taskQueue,
          workflowId,
          args: [input],
          typedSearchAttributes: operationAttributes(tenantId, ids.workspaceId),
        });
      } catch (err) {
        await em.execute(
          `update partner set status = 'FAILED', failure_reason = 'provisioning could not be started', updated_at = now()
            where id = ? and status = 'PROVISIONING'`,
          [partnerId],
        );
        throw err;
      }
      return c.json({ id: partnerId, status: 'PROVISIONING' as const, workflowId }, 202);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/partners',
      tags: ['Tenant'],
      summary: "The tenant's partners, newest first (filters: status, name)",
      access: 'tenant.partners.manage',
      request: { query: ListQuery },
      responses: { 200: jsonContent(pageOf(PartnerOut), 'A page of partners'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listPartners(c.get('em'), {
        tenantId: c.get('auth').workspace.tenantId,
        status: q.status,
        name: q.name,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const page = pageFrom(rows, q.limit);
      return c.json({ data: page.rows.map((r) => r.view), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/partners/{id}',
      tags: ['Tenant'],
      summary: 'A partner with its wallets and referral code',
      access: 'tenant.partners.manage',
      request: { params: IdParam },
      responses: { 200: jsonContent(PartnerOut, 'The partner'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const partner = await findPartner(
        c.get('em'),
        c.get('auth').workspace.tenantId,
        c.req.valid('param').id,
      );
      if (!partner) throw notFound('partner');
      return c.json(partner, 200);
    },
  )
  .openapi(statusRoute('suspend'), async (c) =>
    c.json(await changePartnerStatus(c, c.req.valid('param').id, 'SUSPENDED'), 200),
  )
  .openapi(statusRoute('reactivate'), async (c) =>
    c.json(await changePartnerStatus(c, c.req.valid('param').id, 'ACTIVE'), 200),
  );
