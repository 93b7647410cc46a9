// Channel rules shared by the API (callback route) and activities (sandbox bank): signed callbacks and the
// sandbox bank's magic account numbers.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SANDBOX_BANK_CALLBACK_PATH = '/v1/channels/sandbox-bank/callbacks';
export const CALLBACK_SIGNATURE_HEADER = 'x-channel-signature';
/** A callback older (or newer) than this is refused, so a captured one cannot be replayed later. */
export const CALLBACK_TOLERANCE_SECONDS = 300;

export type SandboxOutcome = 'CONFIRMED' | 'REJECTED' | 'NEVER';

/** 000... is rejected by the bank, 999... never confirmed, anything else confirmed. */
export function sandboxOutcomeFor(accountNumber: string): SandboxOutcome {
  if (accountNumber.startsWith('000')) return 'REJECTED';
  if (accountNumber.startsWith('999')) return 'NEVER';
  return 'CONFIRMED';
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signCallback(secret: string, body: string, nowSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${nowSeconds}.${body}`).digest('hex');
  return `t=${nowSeconds},v1=${mac}`;
}

export function verifyCallback(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > CALLBACK_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signCallback(secret, body, t).split('v1=')[1]!, 'hex');
  const given = Buffer.from(String(parts.v1 ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
