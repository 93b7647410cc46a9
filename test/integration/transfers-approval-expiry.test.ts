// A transfer nobody decides on within TRANSFER_APPROVAL_TTL (2 s here) ends FAILED with APPROVAL_EXPIRED by the
// workflow's timer; its hold is released and a late decision is refused.
import { describe, expect, it } from 'vitest';
import { transferWorkflowId } from '../../domain/transfers';
import {
  approvalSetup,
  approve,
  expectUnwoundAfterApprovalRequest,
  transferAudit,
} from '../helpers/approvals';
import { useTestContext } from '../helpers/context';
import { expectProblem } from '../helpers/http';
import { expectLedgerConsistent, postTransfer, waitForTransfer, walletTransfer } from '../helpers/wallets';

const ctx = useTestContext({ env: { TRANSFER_APPROVAL_TTL: '2s' } });

describe('approval expiry (TRANSFER_APPROVAL_TTL=2s)', () => {
  it('expires: FAILED APPROVAL_EXPIRED, hold released, audited, a late approval is 409', async () => {
    const s = await approvalSetup(ctx);
    const res = await postTransfer(ctx, s.initiator.token, walletTransfer(s.source, s.dest, 7_000));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('PENDING_APPROVAL');
    const id = res.body.id;
    await ctx.temporal.workflow.getHandle(transferWorkflowId(id)).result();
    const final = await waitForTransfer(ctx, s.initiator.token, id);
    expect(final).toMatchObject({ status: 'FAILED', failureCode: 'APPROVAL_EXPIRED' });
    await expectUnwoundAfterApprovalRequest(ctx, s, id, 'APPROVAL_EXPIRED');
    expect((await transferAudit(ctx, id)).at(-1)).toEqual({
      action: 'transfer.approval_expired',
      actor: null,
    });
    expectProblem(await approve(ctx, s.finance.token, id), 409, 'CONFLICT');
    await expectLedgerConsistent(ctx, s.tenant.tenantId);
  });
});
