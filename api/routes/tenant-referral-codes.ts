// Tenant administration of referral codes: create for a partner, list, activate/deactivate, change, reassign.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../../domain/errors';
import { ReferralCodeSchema } from '../../domain/referral-codes';
import { recordAudit } from '../../db/store/audit';
import { cursorTimestamp, freshReferralCode, referralCodeTaken } from '../../db/store/partners';
import { clientIp } from '../throttle';
import { decodeCursor, pageFrom } from '../pagination';
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

interface CodeRow {
  id: string;
  code: string;
  partner_id: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

function toOut(row: CodeRow) {
  return {
    id: row.id,
    code: row.code,
    partnerId: row.partner_id,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const COLUMNS = `id, code, partner_id, status, created_at, updated_at, ${cursorTimestamp('created_at')} as cursor_at`;

/** 404 unless the partner belongs to the tenant; 409 when it already holds a code (one code per partner). */
async function assertPartnerCanTakeCode(
  em: EntityManager,
  tenantId: string,
  partnerId: string,
  exceptCodeId?: string,
): Promise<void> {
  const [partner] = await em.execute<{ id: string }[]>(
    'select id from partner where id = ? and tenant_id = ? for update',
    [partnerId, tenantId],
  );
  if (!partner) throw notFound('partner');
  const [held] = await em.execute<{ code: string }[]>(
    'select code from referral_code where partner_id = ? and id <> ?',
    [partnerId, exceptCodeId ?? '00000000-0000-0000-0000-000000000000'],
  );
  if (held) throw new AppError('CONFLICT', `the partner already holds the referral code ${held.code}`);
}

async function assertCodeFree(em: EntityManager, code: string): Promise<void> {
  if (await referralCodeTaken(em, code)) {
    throw new AppError('CONFLICT', `the referral code ${code} is already in use`);
  }
}

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
      const auth = c.get('auth');
      const tenantId = auth.workspace.tenantId;
      const row = await c.get('em').transactional(async (tx) => {
        await assertPartnerCanTakeCode(tx, tenantId, body.partnerId);
        const code = body.code ?? (await freshReferralCode(tx));
        await assertCodeFree(tx, code);
        const [created] = await tx.execute<CodeRow[]>(
          `insert into referral_code (id, tenant_id, partner_id, code, status, created_at, updated_at)
           values (?, ?, ?, ?, 'ACTIVE', now(), now()) returning ${COLUMNS}`,
          [randomUUID(), tenantId, body.partnerId, code],
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'referral_code.created',
          targetType: 'referral_code',
          targetId: created!.id,
          data: { code, partnerId: body.partnerId },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
        return created!;
      });
      return c.json(toOut(row), 201);
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
      const after = decodeCursor(q.cursor);
      const where = ['tenant_id = ?'];
      const params: unknown[] = [c.get('auth').workspace.tenantId];
      if (q.partnerId) {
        where.push('partner_id = ?');
        params.push(q.partnerId);
      }
      if (q.status) {
        where.push('status = ?');
        params.push(q.status);
      }
      if (after) {
        where.push('(created_at, id) < (?::timestamptz, ?::uuid)');
        params.push(after.createdAt, after.id);
      }
      params.push(q.limit + 1);
      const rows = await c
        .get('em')
        .execute<CodeRow[]>(
          `select ${COLUMNS} from referral_code where ${where.join(' and ')} order by created_at desc, id desc limit ?`,
          params,
        );
      const page = pageFrom(
        rows.map((r) => ({ ...r, createdAt: r.cursor_at })),
        q.limit,
      );
      return c.json({ data: page.rows.map(toOut), nextCursor: page.nextCursor }, 200);
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
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const tenantId = auth.workspace.tenantId;
      const row = await c.get('em').transactional(async (tx) => {
        const [current] = await tx.execute<CodeRow[]>(
          `select ${COLUMNS} from referral_code where id = ? and tenant_id = ? for update`,
          [id, tenantId],
        );
        if (!current) throw notFound('referral code');
        if (body.partnerId) await assertPartnerCanTakeCode(tx, tenantId, body.partnerId, id);
        if (body.code && body.code.toLowerCase() !== current.code.toLowerCase()) {
          await assertCodeFree(tx, body.code);
        }
        const [updated] = await tx.execute<CodeRow[]>(
          `update referral_code
              set status = coalesce(?, status), code = coalesce(?, code),
                  partner_id = case when ?::boolean then ?::uuid else partner_id end, updated_at = now()
            where id = ? returning ${COLUMNS}`,
          [body.status ?? null, body.code ?? null, body.partnerId !== undefined, body.partnerId ?? null, id],
        );
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'referral_code.updated',
          targetType: 'referral_code',
          targetId: id,
          data: {
            before: { code: current.code, status: current.status, partnerId: current.partner_id },
            after: { code: updated!.code, status: updated!.status, partnerId: updated!.partner_id },
          },
          ip: clientIp(c),
          requestId: c.get('requestId'),
        });
        return updated!;
      });
      return c.json(toOut(row), 200);
    },
  );
