// The password-reset workflow's contract, shared by the API, the activities and the workflow: its ID, input,
// signal and outcomes. No Node built-ins here: the workflow bundle imports it.
import { defineSignal } from '@temporalio/workflow';

export const passwordResetWorkflowId = (resetId: string) => `password-reset-${resetId}`;

export interface PasswordResetInput {
  resetId: string;
  userId: string;
  ttlMs: number;
}

/** How the API ended a reset: the password was set with it, or a newer request superseded it. */
export type PasswordResetEnd = 'USED' | 'SUPERSEDED';

/** SENT; NOT_PENDING (used or superseded meanwhile); GONE (the reset's row was never committed). */
export type ResetMailOutcome = 'SENT' | 'NOT_PENDING' | 'GONE';

/** Sent by the API once the reset was used (password set) or superseded by a newer request. */
export const passwordResetEndedSignal = defineSignal<[{ status: PasswordResetEnd }]>('passwordResetEnded');

/** How long a workflow waits for its reset's row to be committed before it ends as GONE. */
export const PASSWORD_RESET_ROW_GRACE_MS = 60_000;
