// Builds every activity the worker registers; each area contributes one factory.
import type { ActivityDeps } from './deps';
import { tenancyActivities } from './tenancy';

export function createActivities(deps: ActivityDeps) {
  return {
    ...tenancyActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
