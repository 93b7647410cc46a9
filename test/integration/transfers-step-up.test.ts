// Step-up MFA on POST /v1/transfers: with stepUpMfa on, the header MFA-Code must carry a current TOTP code of
// the caller, accepted once; missing (or no MFA) 403 MFA_REQUIRED, wrong or replayed 400 INVALID_MFA_CODE, and
// nothing is held on a refusal.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { transferIdFor } from '../../domain/transfers';
import { useTestContext } from '../helpers/context';
import { enrolTotp } from '../helpers/mfa';
import { call, expectProblem } from '../helpers/http';
import { balance, expectLedgerConsistent, fundedWalletPair, walletTransfer } from '../helpers/wallets';

const ctx = useTestContext();

function postWithCode(token: string, body: unknown, code: string | null, key = randomUUID()) {
  return call(ctx, 'POST', '/v1/transfers', {
    token,
    headers: { 'idempotency-key': key, ...(code === null ? {} : { 'mfa-code': code }) },
    body,
  });
}

async function transferExists(workspaceId: string, key: string): Promise<boolean> {
  const rows = await ctx.orm.em
    .fork()
    .execute('select 1 from transfer where id = ?', [transferIdFor(workspaceId, key)]);
  return rows.length > 0;
}

describe('step-up MFA for transfers', () => {
  it('no code, no MFA, wrong, recovery-format and replayed codes are refused with nothing held; a fresh code pays', async () => {
    const { tenant, partner, source, dest } = await fundedWalletPair(ctx, 10_000);
    const token = partner.admin.token;
    const body = walletTransfer(source, dest, 500);

    // Off: no code needed.
    expect((await postWithCode(token, body, null)).status).toBe(201);
    const on = await call(ctx, 'PUT', '/v1/workspace/transfer-security', {
      token,
      body: { approvalThresholds: [], stepUpMfa: true },
    });
    expect(on.body.stepUpMfa).toBe(true);

    // The caller has no MFA: even a code-shaped header is MFA_REQUIRED.
    const noMfaKey = randomUUID();
    expectProblem(await postWithCode(token, body, null, noMfaKey), 403, 'MFA_REQUIRED');
    expectProblem(await postWithCode(token, body, '123456'), 403, 'MFA_REQUIRED');

    const { app, recoveryCodes } = await enrolTotp(ctx, partner.admin);
    const refusedKeys: string[] = [noMfaKey];
    const refuse = async (code: string | null, status: number, errorCode: string) => {
      const key = randomUUID();
      refusedKeys.push(key);
      expectProblem(await postWithCode(token, body, code, key), status, errorCode);
    };
    await refuse(null, 403, 'MFA_REQUIRED');
    await refuse('', 403, 'MFA_REQUIRED');
    await refuse('000000', 400, 'INVALID_MFA_CODE');
    await refuse('not-a-code', 400, 'INVALID_MFA_CODE');
    // A recovery code does not count for step-up (and is not consumed).
    await refuse(recoveryCodes[0]!, 400, 'INVALID_MFA_CODE');
    expect(await balance(ctx, token, source)).toMatchObject({ available: 9_500, pending: 0 });

    const fresh = await app.nextCode();
    const paidKey = randomUUID();
    const paid = await postWithCode(token, body, fresh, paidKey);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.status).toBe('COMPLETED');
    // The same code again (a new request): replayed.
    await refuse(fresh, 400, 'INVALID_MFA_CODE');
    // The same request again (same key and body): the code is checked only for new requests.
    const replay = await postWithCode(token, body, null, paidKey);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(paid.body.id);

    for (const key of refusedKeys) expect(await transferExists(partner.workspaceId, key)).toBe(false);
    expect(await balance(ctx, token, source)).toMatchObject({ available: 9_000, pending: 0 });
    const [used] = await ctx.orm.em
      .fork()
      .execute('select count(*)::int as n from recovery_code where user_id = ? and used_at is not null', [
        partner.admin.userId,
      ]);
    expect(used!.n).toBe(0);
    const audit = await ctx.orm.em
      .fork()
      .execute(
        `select count(*)::int as n from audit_log where actor_user_id = ? and action = 'user.step_up_verified'`,
        [partner.admin.userId],
      );
    expect(audit[0]!.n).toBe(1);
    await expectLedgerConsistent(ctx, tenant.tenantId);
  });
});
