// Tenant administration of referral codes: create for a partner, list, activate/deactivate, change, reassign.
import { ReferralCodeSchema } from '../../domain/referral-codes';
import { createReferralCode } from '../../domain/referrals/create-referral-code';
import { updateReferralCode } from '../../domain/referrals/update-referral-code';
import { listReferralCodes } from '../../db/store/referrals';
import { actorOf } from '../actor';
import { decodeCursor, pageAnswer } from '../pagination';
import {
  COMMON_ERRORS,
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

const CodeStatus = z.enum(['ACTIVE', 'INACTIVE']);

const ReferralCodeOut = z
  .object({
    id: z.uuid(),
    code: z.string(),
    partnerId: z.uuid().nullable(),
    status: CodeStatus,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ReferralCode');

const CreateBody = z
  .strictObject({ partnerId: z.uuid(), code: ReferralCodeSchema.optional() })
  .openapi('CreateReferralCode');

const UpdateBody = z
  .strictObject({
    status: CodeStatus.optional(),
    code: ReferralCodeSchema.optional(),
    partnerId: z.uuid().nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one of status, code, partnerId' })
  .openapi('UpdateReferralCode');

const ListQuery = PageQuery.extend({
  partnerId: z.uuid().optional(),
  status: CodeStatus.optional(),
});

export const tenantReferralCodesRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/tenant/referral-codes',
      tags: ['Tenant'],
      summary: "Create a partner's referral code (generated when no code is given)",
      access: 'tenant.referrals.manage',
      request: { body: jsonBody(CreateBody) },
      responses: {
        201: jsonContent(ReferralCodeOut, 'The code, ACTIVE'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the code is taken or the partner already holds one'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const code = await createReferralCode(
        c.get('em'),
        { tenantId: c.get('auth').workspace.tenantId, partnerId: body.partnerId, code: body.code },
        actorOf(c),
      );
      return c.json(code, 201);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/referral-codes',
      tags: ['Tenant'],
      summary: "The tenant's referral codes, newest first",
      access: 'tenant.referrals.manage',
      request: { query: ListQuery },
      responses: { 200: jsonContent(pageOf(ReferralCodeOut), 'A page of codes'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listReferralCodes(c.get('em'), {
        tenantId: c.get('auth').workspace.tenantId,
        partnerId: q.partnerId,
        status: q.status,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return c.json(
        pageAnswer(
          rows.map(({ cursorAt, ...view }) => ({ view, id: view.id, createdAt: cursorAt })),
          q.limit,
          (r) => r.view,
        ),
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/tenant/referral-codes/{id}',
      tags: ['Tenant'],
      summary: 'Activate, deactivate, change or reassign a referral code',
      access: 'tenant.referrals.manage',
      request: { params: IdParam, body: jsonBody(UpdateBody) },
      responses: {
        200: jsonContent(ReferralCodeOut, 'The updated code'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the code is taken or the partner already holds one'),
      },
    }),
    async (c) => {
      const code = await updateReferralCode(
        c.get('em'),
        {
          tenantId: c.get('auth').workspace.tenantId,
          codeId: c.req.valid('param').id,
          changes: c.req.valid('json'),
        },
        actorOf(c),
      );
      return c.json(code, 200);
    },
  );
