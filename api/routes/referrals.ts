// A partner's own referral code and the consumers who registered with it (never another partner's).
import type { Context } from 'hono';
import { notFound } from '../../domain/errors';
import { findPartnerIdByWorkspace } from '../../db/store/partners';
import { countReferrals, findPartnerCode, listReferrals } from '../../db/store/referrals';
import type { AppEnv } from '../context';
import { decodeCursor, pageAnswer } from '../pagination';
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
      const code = partnerId ? await findPartnerCode(c.get('em'), partnerId) : null;
      if (!code) throw notFound('referral code');
      return c.json({ code: code.code, status: code.status as 'ACTIVE' | 'INACTIVE' }, 200);
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
      const partnerId = await callerPartnerId(c);
      if (!partnerId) return c.json({ data: [], nextCursor: null }, 200);
      const rows = await listReferrals(c.get('em'), {
        partnerId,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return c.json(
        pageAnswer(
          rows.map((r) => ({ ...r, createdAt: r.cursorAt })),
          q.limit,
          (r) => ({ consumerId: r.consumerId, name: r.name, email: r.email, registeredAt: r.registeredAt }),
        ),
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
      return c.json({ count: await countReferrals(c.get('em'), partnerId) }, 200);
    },
  );
