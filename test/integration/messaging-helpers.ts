// Helpers of the invitation, password-reset, email and webhook suites: the dev outbox, tokens, histories.
import { expect } from 'vitest';
import type { OutboxMail } from '../../db/store/outbox';
import { digest } from '../../domain/tokens';
import type { TestContext } from '../helpers/context';
import { call } from '../helpers/http';

/** Polls `probe` until it returns a value other than undefined (workflows run asynchronously). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export type { OutboxMail };

/** The outbox mail to `to`, newest first, once there are at least `count` of them. */
export async function outboxMails(ctx: TestContext, to: string, count = 1): Promise<OutboxMail[]> {
  return eventually(async () => {
    const res = await call(ctx, 'GET', `/v1/dev/outbox?to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    return res.body.data.length >= count ? (res.body.data as OutboxMail[]) : undefined;
  });
}

/** The token of the portal link in a mail body (`...?token=<token>`). */
export function tokenFrom(text: string): string {
  const match = /\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no token link in: ${text}`);
  return match[1]!;
}

/** A workflow's history as text, payloads decoded (they are bytes; plain JSON.stringify would hide them). */
export async function historyText(ctx: TestContext, workflowId: string): Promise<string> {
  const history = await ctx.temporal.workflow.getHandle(workflowId).fetchHistory();
  // Payload bytes arrive as Uint8Array or, in the JSON form of the history, as base64 strings under `data`.
  return JSON.stringify(history, (key, value: unknown) => {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    if (key === 'data' && typeof value === 'string') return Buffer.from(value, 'base64').toString('utf8');
    return value;
  });
}

/**
 * Asserts a workflow's whole history (input, signals, updates, activity arguments and results) holds no
 * secret; `visible` are values that must be there, proving the payloads were decoded.
 */
export async function expectHistoryFreeOf(
  ctx: TestContext,
  workflowId: string,
  secrets: string[],
  visible: string[],
): Promise<void> {
  const history = await historyText(ctx, workflowId);
  for (const value of visible) expect(history).toContain(value);
  for (const secret of secrets) expect(history).not.toContain(secret);
  expect(history).not.toContain('$argon2');
}

/** The token itself and its stored digest: neither may appear in a history. */
export const tokenSecrets = (token: string) => [token, digest(token)];
