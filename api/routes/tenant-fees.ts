// The tenant's fee schedule: fee = fixed + floor(amount * percentBps / 10000) per channel product and currency.
import { AppError } from '../../domain/errors';
import { toApiAmount } from '../../domain/money';
import { recordAudit } from '../../db/store/audit';
import { pgTextArray } from '../../db/sql';
import { COMMON_ERRORS, createRouter, defineRoute, jsonBody, jsonContent, z } from '../openapi';
import { KnownCurrencySchema } from './transfers';

const FeeRow = z
  .strictObject({
    channelProductCode: z.string().min(1).max(50),
    currency: KnownCurrencySchema,
    fixed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    percentBps: z.number().int().min(0).max(10_000),
  })
  .openapi('FeeRule');

const FeeSchedule = z.object({ data: z.array(FeeRow) }).openapi('FeeSchedule');
const PutFeeSchedule = z
  .strictObject({ data: z.array(FeeRow).max(1000) })
  .refine((s) => new Set(s.data.map((r) => `${r.channelProductCode}/${r.currency}`)).size === s.data.length, {
    message: 'each channel product and currency may appear once',
    path: ['data'],
  })
  .openapi('PutFeeSchedule');

async function readSchedule(em: Parameters<typeof recordAudit>[0], tenantId: string) {
  const rows = await em.execute<
    { channel_product_code: string; currency: string; fixed: string; percent_bps: number }[]
  >(
    'select channel_product_code, currency, fixed, percent_bps from fee_schedule where tenant_id = ? order by channel_product_code, currency',
    [tenantId],
  );
  return rows.map((r) => ({
    channelProductCode: r.channel_product_code,
    currency: r.currency,
    fixed: toApiAmount(r.fixed),
    percentBps: Number(r.percent_bps),
  }));
}

export const tenantFeesRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tenant/fees',
      tags: ['Tenant'],
      summary: 'The fee schedule (no row for a product and currency: no fee)',
      access: 'tenant.fees.manage',
      responses: { 200: jsonContent(FeeSchedule, 'The fee schedule'), ...COMMON_ERRORS },
    }),
    async (c) => c.json({ data: await readSchedule(c.get('em'), c.get('auth').workspace.tenantId) }, 200),
  )
  .openapi(
    defineRoute({
      method: 'put',
      path: '/v1/tenant/fees',
      tags: ['Tenant'],
      summary: 'Replace the whole fee schedule',
      access: 'tenant.fees.manage',
      request: { body: jsonBody(PutFeeSchedule) },
      responses: { 200: jsonContent(FeeSchedule, 'The saved fee schedule'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { data } = c.req.valid('json');
      const auth = c.get('auth');
      const tenantId = auth.workspace.tenantId;
      const saved = await c.get('em').transactional(async (tx) => {
        const codes = [...new Set(data.map((r) => r.channelProductCode))];
        const known = await tx.execute<{ code: string }[]>(
          'select code from channel_product where tenant_id = ? and code = any(?::text[])',
          [tenantId, pgTextArray(codes)],
        );
        const unknown = codes.filter((code) => !known.some((k) => k.code === code));
        if (unknown.length) {
          throw new AppError('VALIDATION_FAILED', `unknown channel product ${unknown.join(', ')}`, {
            errors: data.flatMap((r, i) =>
              unknown.includes(r.channelProductCode)
                ? [{ path: `body.data.${i}.channelProductCode`, message: 'no such channel product' }]
                : [],
            ),
          });
        }
        const before = await readSchedule(tx, tenantId);
        await tx.execute('delete from fee_schedule where tenant_id = ?', [tenantId]);
        for (const r of data) {
          await tx.execute(
            `insert into fee_schedule (tenant_id, channel_product_code, currency, fixed, percent_bps, updated_at)
             values (?, ?, ?, ?, ?, now())`,
            [tenantId, r.channelProductCode, r.currency, r.fixed, r.percentBps],
          );
        }
        await recordAudit(tx, {
          tenantId,
          workspaceId: auth.workspace.id,
          actorUserId: auth.user.id,
          action: 'fees.updated',
          targetType: 'fee_schedule',
          targetId: tenantId,
          data: { before, after: data },
          requestId: c.get('requestId'),
        });
        return readSchedule(tx, tenantId);
      });
      return c.json({ data: saved }, 200);
    },
  );
