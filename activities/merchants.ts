// Merchant application steps: thin adapters around the merchant commands, plus the application's mails (the
// reminder to the tenant's admins, the rejection to the applicant). Provisioning uses the shared workspace
// steps of activities/tenancy.ts; only the merchant's own row changes live here. Every step is idempotent by
// the IDs in its input; refusals are non-retryable.
import type { MerchantDecision } from '../domain/merchants/decide-merchant-application';
import { decideMerchantApplication } from '../domain/merchants/decide-merchant-application';
import { expireMerchantApplication } from '../domain/merchants/expire-merchant-application';
import { recordMerchantApplication } from '../domain/merchants/record-merchant-application';
import type {
  MerchantApplicationFields,
  MerchantApplicationStatus,
  MerchantApplicationView,
  MerchantDecider,
  MerchantRequestOrigin,
} from '../domain/merchants/contract';
import { findApplication } from '../db/store/merchants';
import { tenantAdminEmails } from '../db/store/events';
import type { ActivityDeps } from './deps';
import { deliverMail, escapeHtml, linkMessage } from './email';
import { refusalsFinal } from './refusal';
import { ownerSteps } from './tenancy';

export function merchantActivities(deps: ActivityDeps) {
  const em = () => deps.orm.em.fork();
  const owner = ownerSteps(deps);
  return {
    /** Records the application SUBMITTED with its audit row (NOT_FOUND when the tenant is gone). Nothing to undo. */
    async recordMerchantApplication(input: {
      key: string;
      applicationId: string;
      tenantId: string;
      application: MerchantApplicationFields;
      origin: MerchantRequestOrigin;
    }): Promise<void> {
      await refusalsFinal(() => recordMerchantApplication(em(), input));
    },

    /**
     * The tenant's decision: APPROVED with the merchant row PROVISIONING, or REJECTED with the reason; answers
     * the application as the API shows it. CONFLICT when already decided. Nothing to undo (a decision stands).
     */
    async decideMerchantApplication(input: {
      key: string;
      tenantId: string;
      applicationId: string;
      decision: MerchantDecision;
      decider: MerchantDecider;
    }): Promise<MerchantApplicationView> {
      return refusalsFinal(() => decideMerchantApplication(em(), input));
    },

    /** Ends an undecided application EXPIRED; returns its final status. Nothing to undo. */
    async expireMerchantApplication(input: {
      key: string;
      tenantId: string;
      applicationId: string;
    }): Promise<MerchantApplicationStatus> {
      return expireMerchantApplication(em(), input);
    },

    /**
     * Mails the tenant's admins that the application still waits, once per admin and key; nothing when it was
     * decided meanwhile. Returns how many were mailed.
     */
    async remindMerchantApplication(input: {
      key: string;
      tenantId: string;
      applicationId: string;
    }): Promise<number> {
      const app = await findApplication(em(), input.tenantId, input.applicationId);
      if (app?.status !== 'SUBMITTED') return 0;
      const admins = await tenantAdminEmails(em(), input.tenantId);
      for (const email of admins) {
        await deliverMail(
          deps,
          linkMessage(
            `${input.key}:${email}`,
            email,
            `Merchant application waiting: ${app.businessName}`,
            [
              `${app.businessName} (${app.contactName}, ${app.email}) applied on ${app.createdAt} and still waits for a decision.`,
              'Approve or reject it before it expires.',
            ],
            {
              label: 'Review the application',
              url: new URL(`/tenant/merchant-applications/${app.id}`, deps.config.PORTAL_URL).toString(),
            },
          ),
        );
      }
      return admins.length;
    },

    /** Mails the applicant that the application was rejected, with the reason. A mail cannot be unsent. */
    async mailMerchantApplicationRejected(input: {
      key: string;
      tenantId: string;
      applicationId: string;
    }): Promise<void> {
      const app = await findApplication(em(), input.tenantId, input.applicationId);
      if (app?.status !== 'REJECTED') return;
      const text = [
        `Dear ${app.contactName},`,
        '',
        `your merchant application for ${app.businessName} was not approved.`,
        `Reason: ${app.reason ?? 'none given'}`,
        '',
      ].join('\n');
      await deliverMail(deps, {
        key: input.key,
        to: app.email,
        subject: `Your merchant application for ${app.businessName} was not approved`,
        text,
        html: text
          .split('\n')
          .map((l) => `<p>${escapeHtml(l)}</p>`)
          .join('\n'),
      });
    },

    /** Last provisioning step: the merchant is linked to its workspace and admin and becomes ACTIVE. */
    async activateMerchant(input: {
      key: string;
      tenantId: string;
      merchantId: string;
      workspaceId: string;
      adminUserId: string;
    }): Promise<void> {
      const { key, tenantId, merchantId, workspaceId, adminUserId } = input;
      await owner.settle({
        key,
        tenantId,
        kind: 'merchant',
        ownerId: merchantId,
        links: { workspaceId, adminUserId },
      });
    },

    /** After the provisioning compensations: the merchant ends FAILED with the reason. */
    async failMerchantProvisioning({
      merchantId,
      ...input
    }: {
      key: string;
      tenantId: string;
      merchantId: string;
      reason: string;
    }) {
      await owner.settle({ ...input, kind: 'merchant', ownerId: merchantId });
    },
  };
}
