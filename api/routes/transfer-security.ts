// The workspace's transfer security: approval thresholds per currency (four-eyes above them) and step-up MFA.
import type { TransferSecurityRow } from '../../db/store/transfer-security';
import { findTransferSecurity } from '../../db/store/transfer-security';
import { toApiAmount } from '../../domain/money';
import { saveTransferSecurity } from '../../domain/workspace/save-transfer-security';
import { actorOf } from '../actor';
import {
  AmountSchema,
  COMMON_ERRORS,
  createRouter,
  CurrencySchema,
  defineRoute,
  jsonBody,
  jsonContent,
  z,
} from '../openapi';

const Threshold = z.strictObject({
  currency: CurrencySchema,
  amount: AmountSchema.openapi({
    description: 'Transfers of at least this amount (minor units) wait for a second member’s approval.',
    example: 100_000,
  }),
});

const TransferSecurityBody = z
  .strictObject({
    approvalThresholds: z
      .array(Threshold)
      .max(100)
      .openapi({ description: 'At most one threshold per currency; a currency without one never waits.' }),
    stepUpMfa: z.boolean().openapi({
      description: 'POST /v1/transfers then needs the header MFA-Code with a current TOTP code.',
    }),
  })
  .openapi('TransferSecurityInput');

const TransferSecurityView = z
  .object({
    approvalThresholds: z.array(z.object({ currency: z.string(), amount: z.number().int() })),
    stepUpMfa: z.boolean(),
    updatedAt: z.string().nullable(),
  })
  .openapi('TransferSecurity');

function render(row: TransferSecurityRow) {
  return {
    approvalThresholds: row.approvalThresholds.map((t) => ({
      currency: t.currency,
      amount: toApiAmount(t.amount),
    })),
    stepUpMfa: row.stepUpMfa,
    updatedAt: row.updatedAt?.toISOString() ?? null,
  };
}

export const transferSecurityRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/transfer-security',
      tags: ['Workspace'],
      summary: 'The workspace’s approval thresholds and step-up MFA setting',
      access: 'settings.transfer_security.edit',
      responses: { 200: jsonContent(TransferSecurityView, 'The settings'), ...COMMON_ERRORS },
    }),
    async (c) => c.json(render(await findTransferSecurity(c.get('em'), c.get('auth').workspace.id)), 200),
  )
  .openapi(
    defineRoute({
      method: 'put',
      path: '/v1/workspace/transfer-security',
      tags: ['Workspace'],
      summary: 'Replace the approval thresholds and the step-up MFA setting',
      description:
        'Currencies must be known ISO 4217 codes, each at most once; amounts positive integers in minor units. ' +
        'Applies to transfers requested afterwards (a waiting transfer keeps the decision it was made with).',
      access: 'settings.transfer_security.edit',
      request: { body: jsonBody(TransferSecurityBody) },
      responses: { 200: jsonContent(TransferSecurityView, 'The saved settings'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const saved = await saveTransferSecurity(c.get('em'), c.req.valid('json'), actorOf(c));
      return c.json(render(saved), 200);
    },
  );
