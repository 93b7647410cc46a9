// Public merchant onboarding applications: validated and throttled like consumer registration, then one
// application workflow per application (it writes the row itself; the answer waits until it is committed).
import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { checkMerchantApplication } from '../../domain/merchants/check-merchant-application';
import {
  applicationRecordedUpdate,
  merchantApplicationWorkflowId,
  type MerchantApplicationInput,
} from '../../domain/merchants/contract';
import { startWithUpdate } from '../../domain/workflow-start';
import type { merchantApplicationWorkflow } from '../../workflows/merchant-application';
import { originOf } from '../actor';
import { assertNotThrottled, recordFailure, type ThrottleSubject } from '../../domain/identity/throttle';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  EmailSchema,
  jsonBody,
  jsonContent,
  KnownCurrencySchema,
  problemResponse,
  z,
} from '../openapi';

const ApplyBody = z
  .strictObject({
    tenantId: z.uuid(),
    businessName: z.string().trim().min(1).max(200).openapi({ example: 'Corner Shop Ltd' }),
    contactName: z.string().trim().min(1).max(200).openapi({ example: 'Casey Merchant' }),
    email: EmailSchema,
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as US')
      .openapi({ example: 'US' }),
    website: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional()
      .openapi({ example: 'https://shop.example.com' }),
    currencies: z.array(KnownCurrencySchema).min(1).max(50),
  })
  .openapi('MerchantApplicationRequest');

const Submitted = z
  .object({ id: z.uuid(), status: z.literal('SUBMITTED') })
  .openapi('MerchantApplicationSubmitted');

export const merchantApplicationsRouter = createRouter().openapi(
  defineRoute({
    method: 'post',
    path: '/v1/merchant-applications',
    tags: ['Merchants'],
    summary: 'Apply to a tenant as a merchant; the tenant approves or rejects the application',
    access: 'public',
    request: { body: jsonBody(ApplyBody) },
    responses: {
      202: jsonContent(Submitted, 'The application is recorded and waits for the tenant'),
      400: COMMON_ERRORS[400],
      404: problemResponse('NOT_FOUND: no such tenant'),
      429: problemResponse('RATE_LIMITED'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const em = c.get('em');
    const origin = originOf(c);
    const subject: ThrottleSubject = { action: 'merchant-application', ip: origin.ip, account: body.email };
    await assertNotThrottled(em, subject);
    let fields;
    try {
      fields = await checkMerchantApplication(em, { ...body, website: body.website ?? null });
    } catch (err) {
      if (err instanceof AppError) await recordFailure(em, subject);
      throw err;
    }
    const { temporal, taskQueue, config } = c.get('deps');
    const applicationId = randomUUID();
    const input: MerchantApplicationInput = {
      applicationId,
      tenantId: body.tenantId,
      application: fields,
      origin,
      ttlMs: config.MERCHANT_APPLICATION_TTL_MS,
      reminderMs: config.MERCHANT_APPLICATION_REMINDER_MS,
      invitationTtlMs: config.INVITATION_TTL_MS,
    };
    // The workflow writes the application row itself; the update answers once it is committed.
    await startWithUpdate<typeof merchantApplicationWorkflow, void, []>(
      { temporal, taskQueue },
      {
        workflowType: 'merchantApplicationWorkflow',
        workflowId: merchantApplicationWorkflowId(applicationId),
        args: [input],
        searchScope: { tenantId: body.tenantId, workspaceId: null },
      },
      applicationRecordedUpdate,
    );
    return c.json({ id: applicationId, status: 'SUBMITTED' as const }, 202);
  },
);
