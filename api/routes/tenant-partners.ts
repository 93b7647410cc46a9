// Tenant administration of partners: provisioning (through the partner-provisioning workflow), reads, suspension.
import { randomUUID } from 'node:crypto';
import { SYSTEM_ROLES } from '../../domain/permissions';
import { ReferralCodeSchema } from '../../domain/referral-codes';
import { checkPartnerRequest } from '../../domain/partners/check-partner-request';
import {
  PARTNER_STATUSES,
  partnerProvisioningWorkflowId,
  partnerRecordedUpdate,
  type ProvisionPartnerInput,
} from '../../domain/partners/contract';
import { startWithUpdate } from '../../domain/workflow-start';
import type { provisionPartnerWorkflow } from '../../workflows/provision-partner';
import { clientIp } from '../client-ip';
import { ownerRoutes } from '../owner-routes';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  EmailSchema,
  jsonBody,
  jsonContent,
  KnownCurrencySchema,
  PageQuery,
  problemResponse,
  z,
} from '../openapi';

const PartnerStatus = z.enum(PARTNER_STATUSES);

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
function newProvisioningIds(currencies: readonly string[]) {
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
      const tenantId = auth.workspace.tenantId;
      const currencies = [...new Set(body.currencies)];
      await checkPartnerRequest(c.get('em'), body);
      const partnerId = randomUUID();
      const ids = newProvisioningIds(currencies);
      const workflowId = partnerProvisioningWorkflowId(partnerId);
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
        origin: { workspaceId: auth.workspace.id, ip: clientIp(c), requestId: c.get('requestId') },
      };
      // The workflow writes the partner row itself; the update answers once it is committed.
      await startWithUpdate<typeof provisionPartnerWorkflow, void, []>(
        { temporal, taskQueue },
        {
          workflowType: 'provisionPartnerWorkflow',
          workflowId,
          args: [input],
          searchScope: { tenantId, workspaceId: ids.workspaceId },
          summary: `Provision partner ${body.name}`,
          details: `Partner ${partnerId}: workspace, admin, wallets, referral code, activation invitation.`,
        },
        partnerRecordedUpdate,
      );
      return c.json({ id: partnerId, status: 'PROVISIONING' as const, workflowId }, 202);
    },
  )
  .route(
    '/',
    ownerRoutes({
      kind: 'partner',
      path: '/v1/tenant/partners',
      tag: 'Tenant',
      access: 'tenant.partners.manage',
      Out: PartnerOut,
      ListQuery,
      summaries: {
        list: "The tenant's partners, newest first (filters: status, name)",
        one: 'A partner with its wallets and referral code',
        suspend:
          "Suspend a partner: its members' sessions end and they can neither log in nor start transfers",
        reactivate: 'Reactivate a suspended partner',
      },
    }),
  );
