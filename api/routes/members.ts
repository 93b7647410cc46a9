// Workspace members: list, add with an initial password, view, and change name, role or status.
import type { MiddlewareHandler } from 'hono';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, notFound } from '../../domain/errors';
import { hashPassword, PASSWORD_MAX, PasswordSchema } from '../../domain/passwords';
import { addMember } from '../../domain/workspace/add-member';
import { updateMember } from '../../domain/workspace/update-member';
import { findMember, listMembers } from '../../db/store/members';
import { actorOf } from '../actor';
import { decodeCursor, pageAnswer } from '../pagination';
import { memberJson } from '../render/members';
import type { AppEnv } from '../context';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  EmailSchema,
  jsonBody,
  jsonContent,
  pageOf,
  PageQuery,
  problemResponse,
  z,
} from '../openapi';

const Status = z.enum(['ACTIVE', 'DISABLED']);

const Member = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    loginEmail: z.string(),
    contactEmail: z.string().nullable(),
    roleId: z.uuid(),
    roleName: z.string(),
    status: Status,
    receiveChargebackEmails: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Member');

const ContactEmail = z
  .email()
  .max(320)
  .transform((e) => e.toLowerCase())
  .nullable();

const CreateMemberBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    loginEmail: EmailSchema,
    contactEmail: ContactEmail.optional(),
    receiveChargebackEmails: z.boolean().default(false),
    password: PasswordSchema,
    confirmPassword: z.string().max(PASSWORD_MAX),
    roleId: z.uuid(),
    status: Status,
  })
  .refine((b) => b.password === b.confirmPassword, {
    path: ['confirmPassword'],
    message: 'must match password',
  })
  .openapi('CreateMember');

const PatchMemberBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    contactEmail: ContactEmail.optional(),
    receiveChargebackEmails: z.boolean().optional(),
    roleId: z.uuid().optional(),
    status: Status.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' })
  .openapi('PatchMember', { description: '`loginEmail` cannot be changed (400 IMMUTABLE_FIELD)' });

const UserIdParam = z.object({ userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }) });

async function memberView(em: EntityManager, workspaceId: string, userId: string) {
  const member = await findMember(em, workspaceId, userId);
  if (!member) throw notFound('member');
  return memberJson(member);
}

/** `loginEmail` is immutable: refuse it with IMMUTABLE_FIELD before the strict body validation runs. */
const rejectLoginEmail: MiddlewareHandler<AppEnv> = async (c, next) => {
  const body: unknown = await c.req.json().catch(() => undefined);
  if (body && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, 'loginEmail')) {
    throw new AppError('IMMUTABLE_FIELD', 'the login email cannot be changed; add a new member instead', {
      errors: [{ path: 'body.loginEmail', message: 'immutable' }],
    });
  }
  await next();
};

const patchRoute = defineRoute({
  method: 'patch',
  path: '/v1/workspace/members/{userId}',
  tags: ['Members'],
  summary: 'Change a member’s name, contact email, chargeback emails, role or status',
  description: 'Disabling a member revokes its sessions in this workspace at once.',
  access: 'settings.team.manage',
  request: { params: UserIdParam, body: jsonBody(PatchMemberBody) },
  responses: {
    200: jsonContent(Member, 'The updated member'),
    ...COMMON_ERRORS,
    400: problemResponse('VALIDATION_FAILED or IMMUTABLE_FIELD (loginEmail)'),
    409: problemResponse('CONFLICT: the last active Admin cannot be demoted or disabled'),
  },
});

export const membersRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/members',
      tags: ['Members'],
      summary: 'Members of the workspace, newest first',
      access: 'settings.team.view',
      request: { query: PageQuery },
      responses: { 200: jsonContent(pageOf(Member), 'A page of members'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const rows = await listMembers(c.get('em'), c.get('auth').workspace.id, {
        limit,
        after: decodeCursor(cursor),
      });
      return c.json(
        pageAnswer(
          rows.map((r) => ({ ...r, id: r.membershipId })),
          limit,
          memberJson,
        ),
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/workspace/members',
      tags: ['Members'],
      summary: 'Add a member with an initial password (to be changed at first sign-in)',
      access: 'settings.team.manage',
      request: { body: jsonBody(CreateMemberBody) },
      responses: {
        201: jsonContent(Member, 'The new member'),
        ...COMMON_ERRORS,
        409: problemResponse('EMAIL_TAKEN: the login email already has an account'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const em = c.get('em');
      const userId = await addMember(
        em,
        {
          name: body.name,
          loginEmail: body.loginEmail,
          contactEmail: body.contactEmail ?? null,
          passwordHash: await hashPassword(body.password),
          roleId: body.roleId,
          status: body.status,
          receiveChargebackEmails: body.receiveChargebackEmails,
        },
        actorOf(c),
      );
      return c.json(await memberView(em, c.get('auth').workspace.id, userId), 201);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/members/{userId}',
      tags: ['Members'],
      summary: 'One member',
      access: 'settings.team.view',
      request: { params: UserIdParam },
      responses: { 200: jsonContent(Member, 'The member'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const { userId } = c.req.valid('param');
      return c.json(await memberView(c.get('em'), c.get('auth').workspace.id, userId), 200);
    },
  )
  .openapi({ ...patchRoute, middleware: [...patchRoute.middleware, rejectLoginEmail] }, async (c) => {
    const { userId } = c.req.valid('param');
    const em = c.get('em');
    await updateMember(em, { userId, ...c.req.valid('json') }, actorOf(c));
    return c.json(await memberView(em, c.get('auth').workspace.id, userId), 200);
  });
