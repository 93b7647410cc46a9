// Activities that create (and, as compensation, remove) a tenant, its workspace, roles, admin and channels.
import { ApplicationFailure } from '@temporalio/activity';
import { recordAudit } from '../db/store/audit';
import {
  insertDefaultChannelProducts,
  insertMembership,
  insertTenant,
  insertUser,
  insertWorkspaceWithRoles,
} from '../db/store/tenancy';
import { inTransaction, type ActivityDeps } from './deps';

export function tenancyActivities(deps: ActivityDeps) {
  return {
    /** Creates the tenant row and its TENANT workspace with the system roles. Undone by discardTenant. */
    async createTenantWithWorkspace(input: {
      key: string;
      tenantId: string;
      name: string;
      workspaceId: string;
      roleIds: Record<string, string>;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await insertTenant(em, { id: input.tenantId, name: input.name });
        await insertWorkspaceWithRoles(em, {
          id: input.workspaceId,
          tenantId: input.tenantId,
          kind: 'TENANT',
          name: input.name,
          roleIds: input.roleIds,
        });
      });
    },

    /**
     * Creates a workspace admin from a parked credential (the hash never travels through Temporal).
     * Undone by discardProvisionedUser. CONFLICT when the email already belongs to another user.
     */
    async createWorkspaceAdmin(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      roleId: string;
      userId: string;
      membershipId: string;
      email: string;
      name: string;
      credentialId: string;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const [existing] = await em.execute<{ id: string }[]>(
          'select id from app_user where login_email = lower(?)',
          [input.email],
        );
        if (existing && existing.id !== input.userId) {
          throw ApplicationFailure.nonRetryable(`the email ${input.email} is already in use`, 'CONFLICT');
        }
        if (!existing) {
          const [credential] = await em.execute<{ password_hash: string }[]>(
            'select password_hash from pending_credential where id = ?',
            [input.credentialId],
          );
          if (!credential) {
            throw ApplicationFailure.nonRetryable('the admin credential has expired', 'VALIDATION_FAILED');
          }
          await insertUser(em, {
            id: input.userId,
            loginEmail: input.email,
            name: input.name,
            passwordHash: credential.password_hash,
            activated: true,
          });
          await recordAudit(em, {
            tenantId: input.tenantId,
            workspaceId: input.workspaceId,
            action: 'member.added',
            targetType: 'user',
            targetId: input.userId,
            data: { key: input.key, roleId: input.roleId, via: 'tenant-provisioning' },
          });
        }
        await insertMembership(em, {
          id: input.membershipId,
          workspaceId: input.workspaceId,
          userId: input.userId,
          roleId: input.roleId,
        });
        await em.execute('delete from pending_credential where id = ?', [input.credentialId]);
      });
    },

    /** Creates the INTERNAL and SANDBOX_BANK channel products. Undone by discardTenant. */
    async createDefaultChannelProducts(input: {
      key: string;
      tenantId: string;
      ids: Record<string, string>;
    }) {
      await inTransaction(deps, async (em) => {
        await insertDefaultChannelProducts(em, input.tenantId, input.ids);
        await recordAudit(em, {
          tenantId: input.tenantId,
          action: 'tenant.provisioned',
          targetType: 'tenant',
          targetId: input.tenantId,
          data: { key: input.key },
        });
      });
    },

    /** Compensation: removes a provisioned user with its memberships and sessions (idempotent). */
    async discardProvisionedUser(input: { key: string; userId: string }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await em.execute('delete from session where user_id = ?', [input.userId]);
        await em.execute('delete from membership where user_id = ?', [input.userId]);
        await em.execute('delete from app_user where id = ?', [input.userId]);
      });
    },

    /** Compensation: removes a tenant and everything provisioning created under it (idempotent). */
    async discardTenant(input: { key: string; tenantId: string }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const ws = `select id from workspace where tenant_id = ?`;
        await em.execute(`delete from session where workspace_id in (${ws})`, [input.tenantId]);
        await em.execute(`delete from membership where workspace_id in (${ws})`, [input.tenantId]);
        await em.execute(`delete from role where workspace_id in (${ws})`, [input.tenantId]);
        await em.execute('delete from workspace where tenant_id = ?', [input.tenantId]);
        await em.execute('delete from channel_product where tenant_id = ?', [input.tenantId]);
        const deleted = await em.execute<{ affectedRows: number }>(
          'delete from tenant where id = ?',
          [input.tenantId],
          'run',
        );
        if (deleted.affectedRows > 0) {
          await recordAudit(em, {
            tenantId: input.tenantId,
            action: 'tenant.provisioning_rolled_back',
            targetType: 'tenant',
            targetId: input.tenantId,
            data: { key: input.key },
          });
        }
      });
    },
  };
}
