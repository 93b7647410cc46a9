// TOTP for tests: an authenticator app and enrolling a member in MFA through the API.
import { generate } from 'otplib';
import { expect } from 'vitest';
import type { TestContext } from './context';
import type { MemberFixture } from './factories';
import { call } from './http';

/**
 * Hands out TOTP codes as an authenticator app would, one fresh 30 s step at a time: the server accepts the
 * previous, current and next step, and each step only once.
 */
export class Authenticator {
  private lastStep = -1;
  constructor(readonly secret: string) {}

  async nextCode(): Promise<string> {
    const current = Math.floor(Date.now() / 1000 / 30);
    const step = Math.max(this.lastStep + 1, current - 1);
    if (step > current + 1) throw new Error('test used more than three codes in one 30 s window');
    this.lastStep = step;
    return generate({ secret: this.secret, epoch: step * 30 });
  }
}

/** Enrols the member in TOTP (start, then verify with a first code); `headers` go with the verification. */
export async function enrolTotp(
  ctx: TestContext,
  member: MemberFixture,
  headers: Record<string, string> = {},
): Promise<{ app: Authenticator; recoveryCodes: string[] }> {
  const start = await call(ctx, 'POST', '/v1/me/mfa/totp', { token: member.token });
  expect(start.status).toBe(200);
  const app = new Authenticator(start.body.secret);
  const verify = await call(ctx, 'POST', '/v1/me/mfa/totp/verify', {
    token: member.token,
    headers,
    body: { code: await app.nextCode() },
  });
  expect(verify.status).toBe(200);
  return { app, recoveryCodes: verify.body.recoveryCodes };
}
