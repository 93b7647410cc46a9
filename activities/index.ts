// Builds every activity the worker registers; each area contributes one factory.
import type { ActivityDeps } from './deps';
import { tenancyActivities } from './tenancy';
import { transferActivities } from './transfers';
import { channelActivities } from './channels';
import { payoutActivities } from './payouts';
import { partnerActivities } from './partners';
import { onboardingActivities } from './onboarding';
import { emailActivities } from './email';
import { invitationActivities } from './invitations';
import { passwordResetActivities } from './password-resets';
import { webhookActivities } from './webhooks';
import { eventActivities } from './events';
import { merchantActivities } from './merchants';
import { maintenanceActivities } from './maintenance';

export function createActivities(deps: ActivityDeps) {
  return {
    ...tenancyActivities(deps),
    ...transferActivities(deps),
    ...channelActivities(deps),
    ...payoutActivities(deps),
    ...partnerActivities(deps),
    ...onboardingActivities(deps),
    ...emailActivities(deps),
    ...invitationActivities(deps),
    ...passwordResetActivities(deps),
    ...webhookActivities(deps),
    ...eventActivities(deps),
    ...merchantActivities(deps),
    ...maintenanceActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
