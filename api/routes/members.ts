// Workspace members: list, add with an initial password, view, and change name, role or status.
import type { Context, MiddlewareHandler } from 'hono';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound } from '../../domain/errors';
import { hashPassword, PASSWORD_MAX, PasswordSchema } from '../../domain/passwords';
import { ADMIN_ROLE_NAME } from '../../domain/permissions';
import { assertCanManageRole, removesLastActiveAdmin } from '../../domain/roles';
import { recordAudit, type AuditEntry } from '../../db/store/audit';
import { decodeCursor, pageFrom } from '../pagination';
import { revokeSessions } from '../auth/sessions';
import type { AppEnv } from '../context';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  jsonBody,
  jsonContent,
  PageQuery,
  pageOf,
  problemResponse,
  z,
} from '../openapi';
import { clientIp } from '../throttle';
import { loadRole } from './roles';
import { EmailSchema } from './platform';

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

interface MemberRow {
  membership_id: string;
  user_id: string;
  name: string;
  login_email: string;
  contact_email: string | null;
  role_id: string;
  role_name: string;
  status: 'ACTIVE' | 'DISABLED';
  receive_chargeback_emails: boolean;
  must_change_password: boolean;
  created_at: Date;
}

const MEMBER_SELECT = `
  select m.id as membership_id, u.id as user_id, u.name, u.login_email, u.contact_email, m.role_id,
         r.name as role_name, m.status, m.receive_chargeback_emails, u.must_change_password, m.created_at
    from membership m join app_user u on u.id = m.user_id join role r on r.id = m.role_id`;

function toView(r: MemberRow) {
  return {
    userId: r.user_id,
    name: r.name,
    loginEmail: r.login_email,
    contactEmail: r.contact_email,
    roleId: r.role_id,
    roleName: r.role_name,
    status: r.status,
    receiveChargebackEmails: r.receive_chargeback_emails,
    mustChangePassword: r.must_change_password,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

async function loadMember(em: EntityManager, workspaceId: string, userId: string): Promise<MemberRow> {
  const [row] = await em.execute<MemberRow[]>(`${MEMBER_SELECT} where m.workspace_id = ? and m.user_id = ?`, [
    workspaceId,
    userId,
  ]);
  if (!row) throw notFound('member');
  return row;
}

function audit(
  c: Context<AppEnv>,
  action: string,
  userId: string,
  data: Record<string, unknown>,
): AuditEntry {
  const auth = c.get('auth');
  return {
    tenantId: auth.workspace.tenantId,
    workspaceId: auth.workspace.id,
    actorUserId: auth.user.id,
    action,
    targetType: 'user',
    targetId: userId,
    data,
    ip: clientIp(c),
    requestId: c.get('requestId'),
  };
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

/** Active members with the Admin system role, row-locked in a fixed order (the last-Admin guard). */
async function lockActiveAdmins(
  tx: EntityManager,
  workspaceId: string,
): Promise<{ adminRoleId: string; ids: string[] }> {
  const [admin] = await tx.execute<{ id: string }[]>(
    'select id from role where workspace_id = ? and system and name = ?',
    [workspaceId, ADMIN_ROLE_NAME],
  );
  if (!admin) return { adminRoleId: '', ids: [] };
  const rows = await tx.execute<{ id: string }[]>(
    `select id from membership where workspace_id = ? and role_id = ? and status = 'ACTIVE' order by id for update`,
    [workspaceId, admin.id],
  );
  return { adminRoleId: admin.id, ids: rows.map((r) => r.id) };
}

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
      const after = decodeCursor(cursor);
      const params: unknown[] = [c.get('auth').workspace.id];
      if (after) params.push(after.createdAt, after.id);
      const rows = await c.get('em').execute<MemberRow[]>(
        `${MEMBER_SELECT} where m.workspace_id = ? ${after ? 'and (m.created_at, m.id) < (?::timestamptz, ?::uuid)' : ''}
          order by m.created_at desc, m.id desc limit ${limit + 1}`,
        params,
      );
      const page = pageFrom(
        rows.map((r) => ({ ...r, createdAt: r.created_at, id: r.membership_id })),
        limit,
      );
      return c.json({ data: page.rows.map(toView), nextCursor: page.nextCursor }, 200);
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
      const auth = c.get('auth');
      const em = c.get('em');
      const role = await loadRole(em, auth.workspace.id, body.roleId);
      assertCanManageRole(auth.permissions, role);
      const passwordHash = await hashPassword(body.password);
      const userId = randomUUID();
      await em.transactional(async (tx) => {
        const inserted = await tx.execute<{ id: string }[]>(
          `insert into app_user (id, login_email, name, contact_email, password_hash, activated, must_change_password,
                                 password_changed_at, created_at)
           values (?, ?, ?, ?, ?, true, true, now(), now())
           on conflict (login_email) do nothing returning id`,
          [userId, body.loginEmail, body.name, body.contactEmail ?? null, passwordHash],
        );
        if (!inserted.length) {
          throw new AppError('EMAIL_TAKEN', `${body.loginEmail} already has an account; invite it instead`);
        }
        await loadRole(tx, auth.workspace.id, body.roleId, 'for share');
        await tx.execute(
          `insert into membership (id, workspace_id, user_id, role_id, status, receive_chargeback_emails, created_at)
           values (?, ?, ?, ?, ?, ?, now())`,
          [randomUUID(), auth.workspace.id, userId, body.roleId, body.status, body.receiveChargebackEmails],
        );
        await recordAudit(
          tx,
          audit(c, 'member.added', userId, {
            loginEmail: body.loginEmail,
            roleId: body.roleId,
            status: body.status,
          }),
        );
      });
      return c.json(toView(await loadMember(em, auth.workspace.id, userId)), 201);
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
      return c.json(toView(await loadMember(c.get('em'), c.get('auth').workspace.id, userId)), 200);
    },
  )
  .openapi({ ...patchRoute, middleware: [...patchRoute.middleware, rejectLoginEmail] }, async (c) => {
    const { userId } = c.req.valid('param');
    const body = c.req.valid('json');
    const auth = c.get('auth');
    const em = c.get('em');
    await em.transactional(async (tx) => {
      const admins = await lockActiveAdmins(tx, auth.workspace.id);
      const [target] = await tx.execute<(MemberRow & { role_permissions: string[] })[]>(
        `select m.id as membership_id, m.user_id, m.role_id, m.status, r.name as role_name,
                r.permissions as role_permissions
           from membership m join role r on r.id = m.role_id
          where m.workspace_id = ? and m.user_id = ? for update of m`,
        [auth.workspace.id, userId],
      );
      if (!target) throw notFound('member');
      assertCanManageRole(auth.permissions, { name: target.role_name, permissions: target.role_permissions });
      const roleId = body.roleId ?? target.role_id;
      if (roleId !== target.role_id) {
        assertCanManageRole(auth.permissions, await loadRole(tx, auth.workspace.id, roleId, 'for share'));
      }
      const status = body.status ?? target.status;
      const change = { staysAdmin: roleId === admins.adminRoleId, staysActive: status === 'ACTIVE' };
      if (removesLastActiveAdmin(admins.ids, target.membership_id, change)) {
        throw conflict('this is the last active Admin of the workspace; make another member Admin first');
      }
      await tx.execute(
        `update app_user set name = coalesce(?, name),
                contact_email = case when ? then ? else contact_email end
          where id = ?`,
        [body.name ?? null, body.contactEmail !== undefined, body.contactEmail ?? null, userId],
      );
      await tx.execute(
        `update membership set role_id = ?, status = ?,
                receive_chargeback_emails = coalesce(?, receive_chargeback_emails)
          where id = ?`,
        [roleId, status, body.receiveChargebackEmails ?? null, target.membership_id],
      );
      const disabling = status === 'DISABLED' && target.status !== 'DISABLED';
      const revoked = disabling ? await revokeSessions(tx, { userId, workspaceId: auth.workspace.id }) : 0;
      await recordAudit(
        tx,
        audit(c, disabling ? 'member.disabled' : 'member.updated', userId, {
          changes: Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined),
          ...(roleId !== target.role_id ? { roleId, previousRoleId: target.role_id } : {}),
          ...(status !== target.status ? { status, previousStatus: target.status } : {}),
          ...(disabling ? { revokedSessions: revoked } : {}),
        }),
      );
    });
    return c.json(toView(await loadMember(em, auth.workspace.id, userId)), 200);
  });
