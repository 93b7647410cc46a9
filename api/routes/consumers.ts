// Public consumer registration with a partner's referral code: consumer and referral commit together.
import { PasswordSchema } from '../../domain/passwords';
import { registerConsumer } from '../../domain/referrals/register-consumer';
import { clientIp } from '../client-ip';
import { assertNotThrottled, recordFailure, type ThrottleSubject } from '../../domain/identity/throttle';
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

const RegisterBody = z
  .strictObject({
    referralCode: z.string().trim().min(1).max(64),
    email: EmailSchema,
    name: z.string().trim().min(1).max(200),
    password: PasswordSchema,
  })
  .openapi('RegisterConsumer');

const Registered = z.object({ id: z.uuid() }).openapi('ConsumerRegistered');

export const consumersRouter = createRouter().openapi(
  defineRoute({
    method: 'post',
    path: '/v1/consumers/register',
    tags: ['Consumers'],
    summary: "Register a consumer with a partner's referral code",
    access: 'public',
    request: { body: jsonBody(RegisterBody) },
    responses: {
      201: jsonContent(Registered, 'The consumer is registered and counted as the partner referral'),
      400: COMMON_ERRORS[400],
      409: problemResponse('EMAIL_TAKEN'),
      422: problemResponse('INVALID_REFERRAL_CODE: unknown or inactive'),
      429: problemResponse('RATE_LIMITED'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const em = c.get('em');
    const subject: ThrottleSubject = { action: 'registration', ip: clientIp(c), account: body.email };
    await assertNotThrottled(em, subject);
    const outcome = await registerConsumer(em, body);
    if ('refusal' in outcome) {
      await recordFailure(em, subject);
      throw outcome.refusal;
    }
    return c.json({ id: outcome.consumerId }, 201);
  },
);
