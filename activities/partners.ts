// Partner provisioning steps and their compensations: the workspace-owner steps of activities/tenancy.ts for the
// kind 'partner', plus the partner's own request and referral code. Activity names and inputs stay as running
// workflows call them. Every step is idempotent by the IDs in its input; refusals are non-retryable.
import { recordPartnerRequest } from '../domain/partners/record-partner-request';
import { assignPartnerReferralCode } from '../domain/referrals/assign-partner-referral-code';
import { discardPartnerReferralCode } from '../domain/referrals/discard-partner-referral-code';
import type { appointOwnerAdmin } from '../domain/tenancy/appoint-owner-admin';
import type { attachOwnerWorkspace } from '../domain/tenancy/attach-owner-workspace';
import type { detachOwnerWorkspace } from '../domain/tenancy/detach-owner-workspace';
import type { openWorkspaceWallets } from '../domain/tenancy/open-workspace-wallets';
import type { OwnerProvisioningEnd } from '../domain/tenancy/settle-owner-provisioning';
import type { ActivityDeps } from './deps';
import { refusalsFinal } from './refusal';
import { ownerSteps, tenancyActivities, type KindStepInput, type StepInput } from './tenancy';

type PartnerStep<T> = KindStepInput<T, 'partnerId'>;
type PartnerEnd = PartnerStep<Omit<OwnerProvisioningEnd, 'links' | 'reason'>>;

export function partnerActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  const owner = ownerSteps(deps);
  const workspace = tenancyActivities(deps);
  const kind = 'partner' as const;
  return {
    /**
     * Records the partner as PROVISIONING with its audit row and claims its batch row (CONFLICT when the email
     * is held by a live partner or the row was skipped). Undone by failPartnerProvisioning.
     */
    async createPartnerRecord(input: Parameters<typeof recordPartnerRequest>[1]): Promise<void> {
      await refusalsFinal(() => recordPartnerRequest(em(), input));
    },

    /** Creates the PARTNER workspace with the system roles and links it. Undone by discardPartnerWorkspace. */
    async createPartnerWorkspace({
      partnerId,
      ...input
    }: PartnerStep<StepInput<typeof attachOwnerWorkspace>>) {
      await owner.attachWorkspace({ ...input, kind, ownerId: partnerId });
    },

    /** Compensation: unlinks and removes the partner workspace with everything in it (idempotent). */
    async discardPartnerWorkspace({
      partnerId,
      ...input
    }: PartnerStep<StepInput<typeof detachOwnerWorkspace>>) {
      await owner.detachWorkspace({ ...input, kind, ownerId: partnerId });
    },

    /**
     * Creates the partner admin (not activated until it accepts its invitation) with the Admin membership.
     * Undone by discardProvisionedUser. CONFLICT when the email belongs to another user.
     */
    async createPartnerAdmin({ partnerId, ...input }: PartnerStep<StepInput<typeof appointOwnerAdmin>>) {
      await owner.appointAdmin({ ...input, kind, ownerId: partnerId });
    },

    /** Opens one wallet (with its ledger account) per currency. Undone by discardPartnerWallets. */
    async createPartnerWallets({
      partnerName,
      ...input
    }: Omit<StepInput<typeof openWorkspaceWallets>, 'ownerName'> & { partnerName: string }): Promise<void> {
      await workspace.openWorkspaceWallets({ ...input, ownerName: partnerName });
    },

    /** Compensation: removes wallets that provisioning opened, with their (still empty) ledger accounts. */
    discardPartnerWallets: workspace.discardWorkspaceWallets,

    /** Gives the partner its referral code (requested or generated); returns it. Undone by discardPartnerReferralCode. */
    async assignPartnerReferralCode(input: StepInput<typeof assignPartnerReferralCode>): Promise<string> {
      return refusalsFinal(() => assignPartnerReferralCode(em(), input));
    },

    /** Compensation: removes the code provisioning created. */
    async discardPartnerReferralCode(input: { key: string; codeId: string }): Promise<void> {
      await discardPartnerReferralCode(em(), input.codeId);
    },

    /** Writes the admin's activation invitation for the invitation workflow to mail. Undone by revokePartnerInvitation. */
    createPartnerInvitation: workspace.createActivationInvitation,

    /** Compensation: revokes the activation invitation (its token stops working). */
    revokePartnerInvitation: workspace.revokeActivationInvitation,

    /** Final step: the partner becomes ACTIVE (and its batch row SUCCEEDED). Nothing to compensate. */
    async activatePartner({ partnerId, ...input }: PartnerEnd): Promise<void> {
      await owner.settle({ ...input, kind, ownerId: partnerId });
    },

    /** After the compensations: the partner ends FAILED with the reason (and its batch row FAILED). */
    async failPartnerProvisioning({ partnerId, ...input }: PartnerEnd & { reason: string }): Promise<void> {
      await owner.settle({ ...input, kind, ownerId: partnerId });
    },
  };
}
