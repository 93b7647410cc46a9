// One password reset (`password-reset-<id>`): mail the single-use token, then wait until the API reports the
// reset completed or superseded (signal), or the token lifetime ends (timer: the reset is expired); it ends at
// once as GONE when the API never committed the reset's row after starting it.
// The new password never passes through here: the API sets it in its own transaction. No compensation.
import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index';
import {
  passwordResetEndedSignal,
  type PasswordResetEnd,
  type PasswordResetInput,
} from '../domain/identity/password-reset-contract';
import { DB_WRITE, EXTERNAL_CALL } from './profiles';
import { markStatus } from './status';

const act = proxyActivities<Activities>(DB_WRITE);
const mail = proxyActivities<Activities>(EXTERNAL_CALL);

export async function passwordResetWorkflow(input: PasswordResetInput): Promise<string> {
  const key = workflowInfo().workflowId;
  let ended: PasswordResetEnd | null = null;
  setHandler(passwordResetEndedSignal, ({ status }) => {
    ended ??= status;
  });

  const sent = await mail.sendPasswordResetMail({ key: `${key}:mail`, resetId: input.resetId });
  if (sent === 'GONE') {
    markStatus('GONE');
    return 'GONE';
  }
  if (sent === 'NOT_PENDING') ended ??= 'SUPERSEDED';
  const endedInTime = await condition(() => ended !== null, input.ttlMs);
  if (!endedInTime) {
    await act.expirePasswordReset({ key: `${key}:expire`, resetId: input.resetId });
  }
  const status = ended ?? 'EXPIRED';
  markStatus(status);
  return status;
}
