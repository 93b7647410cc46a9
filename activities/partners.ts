// Partner provisioning steps and their compensations: thin adapters around the partner, tenancy and referral
// commands. Every step is idempotent by the IDs in its input; refusals are non-retryable.
import type { BatchRowRef } from '../domain/partners/contract';
import { activatePartner } from '../domain/partners/activate-partner';
import { appointPartnerAdmin } from '../domain/partners/appoint-partner-admin';
import { attachPartnerWorkspace } from '../domain/partners/attach-partner-workspace';
import { detachPartnerWorkspace } from '../domain/partners/detach-partner-workspace';
import { failPartnerProvisioning } from '../domain/partners/fail-partner-provisioning';
import { recordPartnerRequest } from '../domain/partners/record-partner-request';
import { assignPartnerReferralCode } from '../domain/referrals/assign-partner-referral-code';
import { discardPartnerReferralCode } from '../domain/referrals/discard-partner-referral-code';
import { createActivationInvitation } from '../domain/tenancy/create-activation-invitation';
import { discardWorkspaceWallets } from '../domain/tenancy/discard-workspace-wallets';
import { revokeActivationInvitation } from '../domain/tenancy/revoke-activation-invitation';
import { openWorkspaceWallets } from '../domain/tenancy/open-workspace-wallets';
import type { ActivityDeps } from './deps';
import { refusalsFinal } from './refusal';

export function partnerActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /**
     * Records the partner as PROVISIONING with its audit row and claims its batch row (CONFLICT when the email
     * is held by a live partner or the row was skipped). Undone by failPartnerProvisioning.
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
      origin?: { workspaceId: string | null; ip: string | null; requestId: string | null };
    }): Promise<void> {
      await refusalsFinal(() => recordPartnerRequest(em(), input));
    },

    /** Creates the PARTNER workspace with the system roles and links it. Undone by discardPartnerWorkspace. */
    async createPartnerWorkspace(input: {
      key: string;
      partnerId: string;
      tenantId: string;
      workspaceId: string;
      name: string;
      roleIds: Record<string, string>;
    }): Promise<void> {
      await attachPartnerWorkspace(em(), input);
    },

    /** Compensation: unlinks and removes the partner workspace with everything in it (idempotent). */
    async discardPartnerWorkspace(input: {
      key: string;
      partnerId: string;
      workspaceId: string;
    }): Promise<void> {
      await detachPartnerWorkspace(em(), input);
    },

    /**
     * Creates the partner admin (not activated until it accepts its invitation) with the Admin membership.
     * Undone by discardProvisionedUser. CONFLICT when the email belongs to another user.
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
      await refusalsFinal(() => appointPartnerAdmin(em(), input));
    },

    /** Opens one wallet (with its ledger account) per currency. Undone by discardPartnerWallets. */
    async createPartnerWallets(input: {
      key: string;
      tenantId: string;
      workspaceId: string;
      partnerName: string;
      wallets: { id: string; currency: string }[];
    }): Promise<void> {
      await openWorkspaceWallets(em(), { ...input, ownerName: input.partnerName });
    },

    /** Compensation: removes wallets that provisioning opened, with their (still empty) ledger accounts. */
    async discardPartnerWallets(input: { key: string; walletIds: string[] }): Promise<void> {
      await discardWorkspaceWallets(em(), input.walletIds);
    },

    /** Gives the partner its referral code (requested or generated); returns it. Undone by discardPartnerReferralCode. */
    async assignPartnerReferralCode(input: {
      key: string;
      tenantId: string;
      partnerId: string;
      codeId: string;
      code: string | null;
    }): Promise<string> {
      return refusalsFinal(() => assignPartnerReferralCode(em(), input));
    },

    /** Compensation: removes the code provisioning created. */
    async discardPartnerReferralCode(input: { key: string; codeId: string }): Promise<void> {
      await discardPartnerReferralCode(em(), input.codeId);
    },

    /** Writes the admin's activation invitation for the invitation workflow to mail. Undone by revokePartnerInvitation. */
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
      await createActivationInvitation(em(), input);
    },

    /** Compensation: revokes the activation invitation (its token stops working). */
    async revokePartnerInvitation(input: { key: string; invitationId: string }): Promise<void> {
      await revokeActivationInvitation(em(), input.invitationId);
    },

    /** Final step: the partner becomes ACTIVE (and its batch row SUCCEEDED). Nothing to compensate. */
    async activatePartner(input: {
      key: string;
      tenantId: string;
      partnerId: string;
      batchRow?: BatchRowRef;
    }): Promise<void> {
      await activatePartner(em(), input);
    },

    /** After the compensations: the partner ends FAILED with the reason (and its batch row FAILED). */
    async failPartnerProvisioning(input: {
      key: string;
      tenantId: string;
      partnerId: string;
      reason: string;
      batchRow?: BatchRowRef;
    }): Promise<void> {
      await failPartnerProvisioning(em(), input);
    },
  };
}
