// Partner provisioning steps and their compensations; every step is idempotent by the IDs in its input.
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateReferralCode } from '../domain/referral-codes';
import { recordAudit } from '../db/store/audit';
import { referralCodeTaken } from '../db/store/partners';
import { claimUserForEmail, insertMembership, insertWorkspaceWithRoles } from '../db/store/tenancy';
import { openWallet } from '../db/store/wallets';
import { pgTextArray } from '../db/sql';
import { inTransaction, type ActivityDeps } from './deps';

/** The onboarding-batch row a provisioning runs for, if any; its status follows the partner's. */
export interface BatchRowRef {
  batchId: string;
  rowNumber: number;
}

function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e.code ?? e.cause?.code;
  const name = e.constraint ?? e.cause?.constraint;
  return code === '23505' && (!constraint || name === constraint);
}

/** Marks the batch row RUNNING for this partner; refuses when the batch was cancelled before the row started. */
async function startBatchRow(em: EntityManager, row: BatchRowRef, partnerId: string): Promise<void> {
  const updated = await em.execute<{ affectedRows: number }>(
    `update onboarding_batch_row set status = 'RUNNING', partner_id = ?, updated_at = now()
      where batch_id = ? and row_number = ? and status in ('PENDING', 'RUNNING')`,
    [partnerId, row.batchId, row.rowNumber],
    'run',
  );
  if (updated.affectedRows === 0) {
    throw ApplicationFailure.nonRetryable(
      'the onboarding batch row was skipped or already finished',
      'CONFLICT',
    );
  }
}

async function finishBatchRow(
  em: EntityManager,
  row: BatchRowRef | undefined,
  status: 'SUCCEEDED' | 'FAILED',
  error: string | null,
): Promise<void> {
  if (!row) return;
  await em.execute(
    `update onboarding_batch_row set status = ?, error = ?, updated_at = now()
      where batch_id = ? and row_number = ? and status in ('PENDING', 'RUNNING')`,
    [status, error?.slice(0, 1000) ?? null, row.batchId, row.rowNumber],
  );
}

export function partnerActivities(deps: ActivityDeps) {
  return {
    /**
     * Records the partner as PROVISIONING (the API may have done so already) and claims its batch row.
     * Undone by failPartnerProvisioning, which keeps the row as FAILED with the reason.
     */
    async createPartnerRecord(input: {
      key: string;
      partnerId: string;
      tenantId: string;
      name: string;
      adminEmail: string;
      adminName: string;
      currencies: string[];
      actorUserId: string | null;
      batchRow?: BatchRowRef;
    }): Promise<void> {
      try {
        await inTransaction(deps, async (em) => {
          const inserted = await em.execute<{ affectedRows: number }>(
            `insert into partner (id, tenant_id, name, status, admin_email, admin_name, currencies, created_at, updated_at)
             values (?, ?, ?, 'PROVISIONING', lower(?), ?, ?::text[], now(), now()) on conflict (id) do nothing`,
            [
              input.partnerId,
              input.tenantId,
              input.name,
              input.adminEmail,
              input.adminName,
              pgTextArray(input.currencies),
            ],
            'run',
          );
          if (input.batchRow) await startBatchRow(em, input.batchRow, input.partnerId);
          if (inserted.affectedRows > 0) {
            await recordAudit(em, {
              tenantId: input.tenantId,
              actorUserId: input.actorUserId,
              action: 'partner.provisioning_started',
              targetType: 'partner',
              targetId: input.partnerId,
              data: {
                key: input.key,
                name: input.name,
                adminEmail: input.adminEmail,
                batch: input.batchRow ?? null,
              },
            });
          }
        });
      } catch (err) {
        if (isUniqueViolation(err, 'partner_admin_email_live_unique')) {
          throw ApplicationFailure.nonRetryable(
            `the admin email ${input.adminEmail} is already used by another partner`,
            'CONFLICT',
          );
        }
        throw err;
      }
    },

    /** Creates the PARTNER workspace with the system roles and links it to the partner. Undone by discardPartnerWorkspace. */
    async createPartnerWorkspace(input: {
      key: string;
      partnerId: string;
      tenantId: string;
      workspaceId: string;
      name: string;
      roleIds: Record<string, string>;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await insertWorkspaceWithRoles(em, {
          id: input.workspaceId,
          tenantId: input.tenantId,
          kind: 'PARTNER',
          name: input.name,
          roleIds: input.roleIds,
        });
        await em.execute('update partner set workspace_id = ?, updated_at = now() where id = ?', [
          input.workspaceId,
          input.partnerId,
        ]);
      });
    },

    /** Compensation: removes the partner workspace, its roles, memberships, sessions and invitations (idempotent). */
    async discardPartnerWorkspace(input: {
      key: string;
      partnerId: string;
      workspaceId: string;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await em.execute(
          'update partner set workspace_id = null, updated_at = now() where id = ? and workspace_id = ?',
          [input.partnerId, input.workspaceId],
        );
        await em.execute('delete from session where workspace_id = ?', [input.workspaceId]);
        await em.execute('delete from membership where workspace_id = ?', [input.workspaceId]);
        await em.execute('delete from invitation where workspace_id = ?', [input.workspaceId]);
        await em.execute('delete from role where workspace_id = ?', [input.workspaceId]);
        await em.execute('delete from workspace where id = ?', [input.workspaceId]);
      });
    },

    /**
     * Creates the partner admin: a user that is not activated (no password until it accepts its invitation) with
     * the Admin membership. Undone by discardProvisionedUser. CONFLICT when the email belongs to another user.
     */
    async createPartnerAdmin(input: {
      key: string;
      partnerId: string;
      tenantId: string;
      workspaceId: string;
      roleId: string;
      userId: string;
      membershipId: string;
      email: string;
      name: string;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const outcome = await claimUserForEmail(em, {
          id: input.userId,
          loginEmail: input.email,
          name: input.name,
          passwordHash: null,
          activated: false,
        });
        if (outcome === 'taken') {
          throw ApplicationFailure.nonRetryable(`the email ${input.email} is already in use`, 'CONFLICT');
        }
        if (outcome === 'created') {
          await recordAudit(em, {
            tenantId: input.tenantId,
            workspaceId: input.workspaceId,
            action: 'member.added',
            targetType: 'user',
            targetId: input.userId,
            data: { key: input.key, roleId: input.roleId, via: 'partner-provisioning' },
          });
        }
        await insertMembership(em, {
          id: input.membershipId,
          workspaceId: input.workspaceId,
          userId: input.userId,
          roleId: input.roleId,
        });
        await em.execute('update partner set admin_user_id = ?, updated_at = now() where id = ?', [
          input.userId,
          input.partnerId,
        ]);
      });
    },

    /** Opens one wallet (with its ledger account) per currency. Undone by discardPartnerWallets. */
    async createPartnerWallets(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      partnerName: string;
      wallets: { id: string; currency: string }[];
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        for (const wallet of input.wallets) {
          await openWallet(em, {
            id: wallet.id,
            tenantId: input.tenantId,
            workspaceId: input.workspaceId,
            currency: wallet.currency,
            name: `${input.partnerName} ${wallet.currency}`.slice(0, 200),
          });
        }
      });
    },

    /** Compensation: removes wallets that provisioning opened, with their (still empty) ledger accounts. */
    async discardPartnerWallets(input: { key: string; walletIds: string[] }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const ids = pgTextArray(input.walletIds);
        await em.execute(`delete from ledger_account where kind = 'WALLET' and wallet_id = any(?::uuid[])`, [
          ids,
        ]);
        await em.execute('delete from wallet where id = any(?::uuid[])', [ids]);
      });
    },

    /**
     * Gives the partner its referral code: the requested one (CONFLICT when taken) or a generated one.
     * Returns the code. Undone by discardPartnerReferralCode.
     */
    async assignPartnerReferralCode(input: {
      key: string;
      tenantId: string;
      partnerId: string;
      codeId: string;
      code: string | null;
    }): Promise<string> {
      for (let attempt = 0; attempt < 10; attempt++) {
        const code = input.code ?? generateReferralCode();
        try {
          return await inTransaction(deps, async (em) => {
            const [existing] = await em.execute<{ code: string }[]>(
              'select code from referral_code where id = ?',
              [input.codeId],
            );
            if (existing) return existing.code;
            if (input.code && (await referralCodeTaken(em, code))) {
              throw ApplicationFailure.nonRetryable(
                `the referral code ${code} is already in use`,
                'CONFLICT',
              );
            }
            await em.execute(
              `insert into referral_code (id, tenant_id, partner_id, code, status, created_at, updated_at)
               values (?, ?, ?, ?, 'ACTIVE', now(), now())`,
              [input.codeId, input.tenantId, input.partnerId, code],
            );
            await recordAudit(em, {
              tenantId: input.tenantId,
              action: 'referral_code.created',
              targetType: 'referral_code',
              targetId: input.codeId,
              data: { key: input.key, code, partnerId: input.partnerId },
            });
            return code;
          });
        } catch (err) {
          if (!isUniqueViolation(err, 'referral_code_code_unique')) throw err;
          if (input.code) {
            throw ApplicationFailure.nonRetryable(`the referral code ${code} is already in use`, 'CONFLICT');
          }
        }
      }
      throw new Error('could not generate a free referral code');
    },

    /** Compensation: removes the code provisioning created (no consumer can use it before the partner is ACTIVE). */
    async discardPartnerReferralCode(input: { key: string; codeId: string }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await em.execute('delete from referral_code where id = ?', [input.codeId]);
      });
    },

    /** Writes the admin's activation invitation (PENDING) for the invitation workflow to mail. Undone by revokePartnerInvitation. */
    async createPartnerInvitation(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      invitationId: string;
      email: string;
      roleId: string;
      invitedBy: string | null;
      ttlMs: number;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await em.execute(
          `insert into invitation (id, tenant_id, workspace_id, email, role_id, status, token_hash, expires_at, invited_by, created_at, updated_at)
           values (?, ?, ?, lower(?), ?, 'PENDING', null, now() + ?::bigint * interval '1 millisecond', ?, now(), now())
           on conflict (id) do nothing`,
          [
            input.invitationId,
            input.tenantId,
            input.workspaceId,
            input.email,
            input.roleId,
            input.ttlMs,
            input.invitedBy,
          ],
        );
      });
    },

    /** Compensation: revokes the activation invitation (its token stops working); the workspace discard deletes it. */
    async revokePartnerInvitation(input: { key: string; invitationId: string }): Promise<void> {
      await inTransaction(deps, async (em) => {
        await em.execute(
          `update invitation set status = 'REVOKED', token_hash = null, updated_at = now()
            where id = ? and status = 'PENDING'`,
          [input.invitationId],
        );
      });
    },

    /** Final step: the partner becomes ACTIVE (and its batch row SUCCEEDED). Nothing to compensate. */
    async activatePartner(input: {
      key: string;
      tenantId: string;
      partnerId: string;
      batchRow?: BatchRowRef;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const updated = await em.execute<{ affectedRows: number }>(
          `update partner set status = 'ACTIVE', failure_reason = null, updated_at = now()
            where id = ? and status = 'PROVISIONING'`,
          [input.partnerId],
          'run',
        );
        await finishBatchRow(em, input.batchRow, 'SUCCEEDED', null);
        if (updated.affectedRows > 0) {
          await recordAudit(em, {
            tenantId: input.tenantId,
            action: 'partner.activated',
            targetType: 'partner',
            targetId: input.partnerId,
            data: { key: input.key },
          });
        }
      });
    },

    /** After the compensations: the partner ends FAILED with the reason (and its batch row FAILED). */
    async failPartnerProvisioning(input: {
      key: string;
      tenantId: string;
      partnerId: string;
      reason: string;
      batchRow?: BatchRowRef;
    }): Promise<void> {
      await inTransaction(deps, async (em) => {
        const updated = await em.execute<{ affectedRows: number }>(
          `update partner set status = 'FAILED', failure_reason = ?, workspace_id = null, admin_user_id = null,
                  updated_at = now()
            where id = ? and status = 'PROVISIONING'`,
          [input.reason.slice(0, 1000), input.partnerId],
          'run',
        );
        await finishBatchRow(em, input.batchRow, 'FAILED', input.reason);
        if (updated.affectedRows > 0) {
          await recordAudit(em, {
            tenantId: input.tenantId,
            action: 'partner.provisioning_failed',
            targetType: 'partner',
            targetId: input.partnerId,
            data: { key: input.key, reason: input.reason },
          });
        }
      });
    },
  };
}
