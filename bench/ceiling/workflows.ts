// The bench's reference workflows (task queue bench-ceiling): what Temporal alone costs, with the transfer's shape.
// Deterministic like every workflow file; the activities do nothing, so nothing is compensated.
import {
  allHandlersFinished,
  condition,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { DB_WRITE } from '../../workflows/profiles';
import { markStatus } from '../../workflows/status';
import type { CeilingActivities } from './activities';

export type CeilingOutcome = { ok: true };

/** Answered by both workflows; the route-like client starts them with Update-with-Start. */
export const ceilingOutcomeUpdate = defineUpdate<CeilingOutcome>('holdOutcome');

const act = proxyActivities<CeilingActivities>(DB_WRITE);

/** Answers the update at once and ends: one workflow task, the floor under any Update-with-Start workflow. */
export async function emptyWorkflow(): Promise<CeilingOutcome> {
  setHandler(ceilingOutcomeUpdate, (): CeilingOutcome => ({ ok: true }));
  await condition(allHandlersFinished);
  return { ok: true };
}

/**
 * The INTERNAL transfer saga's shape with do-nothing activities: the update waits for the outcome, then hold,
 * status PROCESSING, post, outcome, status COMPLETED, as workflows/execute-transfer.ts does.
 */
export async function sagaShapeWorkflow(): Promise<CeilingOutcome> {
  let outcome: CeilingOutcome | undefined = undefined;
  setHandler(ceilingOutcomeUpdate, async () => {
    await condition(() => outcome !== undefined);
    return outcome!;
  });
  await act.benchHold({ key: 'hold' });
  markStatus('PROCESSING');
  await act.benchPost({ key: 'post' });
  outcome = { ok: true };
  markStatus('COMPLETED');
  await condition(allHandlersFinished);
  return outcome;
}
