// A partner's own referral code and the consumers who registered with it (never another partner's).
import type { Context } from 'hono';
import { notFound } from '../../domain/errors';
import { cursorTimestamp, findPartnerIdByWorkspace } from '../../db/store/partners';
import type { AppEnv } from '../context';
import { decodeCursor, pageFrom } from '../pagination';
import { COMMON_ERRORS, PageQuery, createRouter, defineRoute, jsonContent, pageOf, z } from '../openapi';

const OwnCode = z
  .object({ code: z.string(), status: z.enum(['ACTIVE', 'INACTIVE']) })
  .openapi('OwnReferralCode');

const ReferralOut = z
  .object({ consumerId: z.uuid(), name: z.string(), email: z.string(), registeredAt: z.string() })
  .openapi('Referral');

/** The caller's partner, or null when the workspace is not a partner's (then there is nothing to show). */
function callerPartnerId(c: Context<AppEnv>): Promise<string | null> {
  return findPartnerIdByWorkspace(c.get('em'), c.get('auth').workspace.id);
}

export const referralsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/referral-code',
      tags: ['Referrals'],
      summary: 'The referral code assigned to your partner account',
      access: 'referral.view',
      responses: { 200: jsonContent(OwnCode, 'Your code'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const partnerId = await callerPartnerId(c);
      const [row] = partnerId
        ? await c
            .get('em')
            .execute<{ code: string; status: 'ACTIVE' | 'INACTIVE' }[]>(
              'select code, status from referral_code where partner_id = ?',
              [partnerId],
            )
        : [];
      if (!row) throw notFound('referral code');
      return c.json({ code: row.code, status: row.status }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/referrals',
      tags: ['Referrals'],
      summary: 'Consumers who registered with your referral code, newest first',
      access: 'referral.view',
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(ReferralOut), 'A page of referrals'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const after = decodeCursor(q.cursor);
      const partnerId = await callerPartnerId(c);
      if (!partnerId) return c.json({ data: [], nextCursor: null }, 200);
      const rows = await c.get('em').execute<
        {
          id: string;
          consumer_id: string;
          name: string;
          email: string;
          registered_at: Date;
          cursor_at: string;
        }[]
      >(
        `select r.id, r.consumer_id, c.name, c.email, r.registered_at, ${cursorTimestamp('r.registered_at')} as cursor_at
           from referral r join consumer c on c.id = r.consumer_id
          where r.partner_id = ? ${after ? 'and (r.registered_at, r.id) < (?::timestamptz, ?::uuid)' : ''}
          order by r.registered_at desc, r.id desc limit ?`,
        after ? [partnerId, after.createdAt, after.id, q.limit + 1] : [partnerId, q.limit + 1],
      );
      const page = pageFrom(
        rows.map((r) => ({ ...r, createdAt: r.cursor_at })),
        q.limit,
      );
      return c.json(
        {
          data: page.rows.map((r) => ({
            consumerId: r.consumer_id,
            name: r.name,
            email: r.email,
            registeredAt: new Date(r.registered_at).toISOString(),
          })),
          nextCursor: page.nextCursor,
        },
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/referrals/count',
      tags: ['Referrals'],
      summary: 'How many consumers registered with your referral code',
      access: 'referral.view',
      responses: { 200: jsonContent(z.object({ count: z.number().int() }), 'The count'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const partnerId = await callerPartnerId(c);
      if (!partnerId) return c.json({ count: 0 }, 200);
      const [row] = await c
        .get('em')
        .execute<{ n: string }[]>('select count(*) as n from referral where partner_id = ?', [partnerId]);
      return c.json({ count: Number(row?.n ?? 0) }, 200);
    },
  );
