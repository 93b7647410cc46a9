// Public consumer registration with a partner's referral code: consumer and referral commit together.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../domain/errors';
import { hashPassword, PasswordSchema } from '../../domain/passwords';
import { assertNotThrottled, clientIp, recordFailure, type ThrottleSubject } from '../throttle';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  problemResponse,
  z,
} from '../openapi';
import { EmailSchema } from './platform';

const RegisterBody = z
  .strictObject({
    referralCode: z.string().trim().min(1).max(64),
    email: EmailSchema,
    name: z.string().trim().min(1).max(200),
    password: PasswordSchema,
  })
  .openapi('RegisterConsumer');

const Registered = z.object({ id: z.uuid() }).openapi('ConsumerRegistered');

interface LiveCode {
  id: string;
  tenant_id: string;
  partner_id: string | null;
}

/** The code if it exists, is ACTIVE and its partner (if any) is ACTIVE; locked so a deactivation waits for us. */
async function liveReferralCode(em: EntityManager, code: string): Promise<LiveCode | null> {
  const [row] = await em.execute<(LiveCode & { status: string; partner_status: string | null })[]>(
    `select rc.id, rc.tenant_id, rc.partner_id, rc.status, p.status as partner_status
       from referral_code rc left join partner p on p.id = rc.partner_id
      where lower(rc.code) = lower(?) for share of rc`,
    [code],
  );
  if (!row || row.status !== 'ACTIVE') return null;
  if (row.partner_id && row.partner_status !== 'ACTIVE') return null;
  return row;
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  return code === '23505';
}

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
    const passwordHash = await hashPassword(body.password);
    const consumerId = randomUUID();
    const refusal = await em
      .transactional(async (tx): Promise<AppError | null> => {
        const code = await liveReferralCode(tx, body.referralCode);
        if (!code) return new AppError('INVALID_REFERRAL_CODE', 'the referral code is unknown or inactive');
        const inserted = await tx.execute<{ id: string }[]>(
          `insert into consumer (id, tenant_id, email, name, password_hash, created_at)
           values (?, ?, ?, ?, ?, now()) on conflict (tenant_id, email) do nothing returning id`,
          [consumerId, code.tenant_id, body.email, body.name, passwordHash],
        );
        if (inserted.length === 0) return new AppError('EMAIL_TAKEN', 'this email is already registered');
        await tx.execute(
          `insert into referral (id, tenant_id, consumer_id, referral_code_id, partner_id, registered_at)
           values (?, ?, ?, ?, ?, now())`,
          [randomUUID(), code.tenant_id, consumerId, code.id, code.partner_id],
        );
        return null;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) return new AppError('EMAIL_TAKEN', 'this email is already registered');
        throw err;
      });
    if (refusal) {
      await recordFailure(em, subject);
      throw refusal;
    }
    return c.json({ id: consumerId }, 201);
  },
);
