// The tenant's fee schedule: fee = fixed + floor(amount * percentBps / 10000) per channel product and currency.
import { replaceFeeSchedule } from '../../domain/channel-products/replace-fee-schedule';
import { hasRepeatedFeeRules } from '../../domain/channel-products/rules';
import { toApiAmount } from '../../domain/money';
import { readFeeSchedule, type FeeRuleRow } from '../../db/store/channel-products';
import { actorOf } from '../actor';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  KnownCurrencySchema,
  z,
} from '../openapi';

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
  .refine((s) => !hasRepeatedFeeRules(s.data), {
    message: 'each channel product and currency may appear once',
    path: ['data'],
  })
  .openapi('PutFeeSchedule');

function scheduleJson(rules: FeeRuleRow[]) {
  return rules.map((r) => ({
    channelProductCode: r.channelProductCode,
    currency: r.currency,
    fixed: toApiAmount(r.fixed),
    percentBps: r.percentBps,
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
    async (c) => {
      const rules = await readFeeSchedule(c.get('em'), c.get('auth').workspace.tenantId);
      return c.json({ data: scheduleJson(rules) }, 200);
    },
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
      const saved = await replaceFeeSchedule(
        c.get('em'),
        { tenantId: c.get('auth').workspace.tenantId, rules: c.req.valid('json').data },
        actorOf(c),
      );
      return c.json({ data: scheduleJson(saved) }, 200);
    },
  );
