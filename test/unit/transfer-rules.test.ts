// The transfers area's pure rules: planTransfer's refusals and fee, canCancel by status, the hold's legs, the
// deterministic transfer / deposit IDs, the Idempotency-Key rule and the listing period.
import { describe, expect, it } from 'vitest';
import { depositIdFor, requestFingerprint } from '../../domain/ledger';
import { assertPeriod } from '../../domain/transfers/period';
import { assertSameRequest } from '../../domain/transfers/same-request';
import {
  canCancel,
  holdLegs,
  planTransfer,
  selfTransferRefusal,
  transferIdFor,
  type Plan,
  type TransferFacts,
  type TransferRequest,
  type WalletFacts,
} from '../../domain/transfers';

function wallet(id: string, over: Partial<WalletFacts> = {}): WalletFacts {
  return {
    id,
    accountId: `acct-${id}`,
    status: 'ACTIVE',
    workspaceStatus: 'ACTIVE',
    currency: 'USD',
    limitPerTransfer: null,
    limitDaily: null,
    ...over,
  };
}

function facts(over: Partial<TransferFacts> = {}): TransferFacts {
  return {
    source: wallet('src'),
    destination: wallet('dst'),
    product: { type: 'BOOK_TRANSFER', status: 'ACTIVE', currencies: [], minAmount: null, maxAmount: null },
    feeRule: null,
    outgoingToday: 0n,
    ...over,
  };
}

type Req = Pick<TransferRequest, 'sourceWalletId' | 'destination' | 'amount' | 'currency'>;
const toWallet = (amount = '1000', walletId = 'dst'): Req => ({
  sourceWalletId: 'src',
  destination: { type: 'WALLET', walletId },
  amount,
  currency: 'USD',
});
const toBank = (amount = '1000'): Req => ({
  sourceWalletId: 'src',
  destination: {
    type: 'CHANNEL',
    channelProductCode: 'SANDBOX_BANK',
    beneficiary: { name: 'B', accountNumber: '1234' },
  },
  amount,
  currency: 'USD',
});
const bank = {
  type: 'BANK_TRANSFER',
  status: 'ACTIVE',
  currencies: ['USD'],
  minAmount: null,
  maxAmount: null,
};

function refusalCode(f: TransferFacts, r: Req): string {
  const result = planTransfer(f, r);
  return result.ok ? 'OK' : result.code;
}

describe('planTransfer', () => {
  it('plans an internal transfer on the INTERNAL product with its wallet accounts', () => {
    const plan = planTransfer(facts(), toWallet()) as Plan;
    expect(plan).toMatchObject({
      ok: true,
      route: 'INTERNAL',
      channelProductCode: 'INTERNAL',
      amount: 1000n,
      fee: 0n,
      sourceAccountId: 'acct-src',
      destinationWalletId: 'dst',
      destinationAccountId: 'acct-dst',
    });
  });

  it('plans a channel payout on the named product, with no destination wallet', () => {
    const plan = planTransfer(facts({ destination: null, product: bank }), toBank()) as Plan;
    expect(plan).toMatchObject({ route: 'EXTERNAL', channelProductCode: 'SANDBOX_BANK' });
    expect(plan.destinationAccountId).toBeNull();
  });

  it('computes the fee as fixed + floor(amount * bps / 10000) from the fee rule', () => {
    const plan = planTransfer(facts({ feeRule: { fixed: 25n, percentBps: 150 } }), toWallet('2000'));
    expect(plan).toMatchObject({ ok: true, fee: 55n });
  });

  it('refuses a self-transfer with 400 VALIDATION_FAILED, the same answer the route gives', () => {
    const self = toWallet('10', 'src');
    const result = planTransfer(facts({ destination: wallet('src') }), self);
    expect(result).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(selfTransferRefusal(self)).toEqual(result);
    expect(selfTransferRefusal(toWallet())).toBeNull();
  });

  it('refuses an unknown source (NOT_FOUND) or destination (DESTINATION_NOT_FOUND)', () => {
    expect(refusalCode(facts({ source: null }), toWallet())).toBe('NOT_FOUND');
    expect(refusalCode(facts({ destination: null }), toWallet())).toBe('DESTINATION_NOT_FOUND');
  });

  it('refuses an inactive wallet: frozen source, suspended workspace, frozen destination', () => {
    expect(refusalCode(facts({ source: wallet('src', { status: 'FROZEN' }) }), toWallet())).toBe(
      'WALLET_NOT_ACTIVE',
    );
    const suspended = planTransfer(
      facts({ source: wallet('src', { workspaceStatus: 'SUSPENDED' }) }),
      toWallet(),
    );
    expect(suspended).toMatchObject({ code: 'WALLET_NOT_ACTIVE', message: 'the source wallet is suspended' });
    expect(refusalCode(facts({ destination: wallet('dst', { status: 'FROZEN' }) }), toWallet())).toBe(
      'WALLET_NOT_ACTIVE',
    );
  });

  it('refuses a currency mismatch on the source, on the destination and on the channel', () => {
    expect(refusalCode(facts(), { ...toWallet(), currency: 'EUR' })).toBe('CURRENCY_MISMATCH');
    expect(refusalCode(facts({ destination: wallet('dst', { currency: 'EUR' }) }), toWallet())).toBe(
      'CURRENCY_MISMATCH',
    );
    const eurOnly = { ...bank, currencies: ['EUR'] };
    expect(refusalCode(facts({ destination: null, product: eurOnly }), toBank())).toBe('CHANNEL_UNAVAILABLE');
  });

  it('refuses a channel that is missing, not ACTIVE, or a book transfer used as a payout', () => {
    expect(refusalCode(facts({ product: null }), toWallet())).toBe('CHANNEL_UNAVAILABLE');
    const maintenance = { ...bank, status: 'MAINTENANCE' };
    expect(refusalCode(facts({ destination: null, product: maintenance }), toBank())).toBe(
      'CHANNEL_UNAVAILABLE',
    );
    expect(refusalCode(facts({ destination: null }), toBank())).toBe('CHANNEL_UNAVAILABLE');
  });

  it('refuses amounts outside the channel range and the wallet limits (LIMIT_EXCEEDED)', () => {
    const ranged = { ...bank, minAmount: 100n, maxAmount: 5_000n };
    expect(refusalCode(facts({ destination: null, product: ranged }), toBank('99'))).toBe('LIMIT_EXCEEDED');
    expect(refusalCode(facts({ destination: null, product: ranged }), toBank('5001'))).toBe('LIMIT_EXCEEDED');
    expect(refusalCode(facts({ destination: null, product: ranged }), toBank('5000'))).toBe('OK');
    const limited = wallet('src', { limitPerTransfer: 300n, limitDaily: 500n });
    expect(refusalCode(facts({ source: limited }), toWallet('301'))).toBe('LIMIT_EXCEEDED');
    expect(refusalCode(facts({ source: limited, outgoingToday: 300n }), toWallet('200'))).toBe('OK');
    expect(refusalCode(facts({ source: limited, outgoingToday: 300n }), toWallet('201'))).toBe(
      'LIMIT_EXCEEDED',
    );
  });

  it('leaves insufficient funds to the ledger: a plan never looks at the balance', () => {
    // The available balance is checked under the account locks by the ledger's hold (INSUFFICIENT_FUNDS there).
    expect(refusalCode(facts(), toWallet('9007199254740991'))).toBe('OK');
  });
});

describe('holdLegs', () => {
  const accounts = { settlement: 'acct-settlement', feeRevenue: 'acct-fees' };

  it('holds the amount to the destination and the fee to fee revenue, both from the source', () => {
    const plan = planTransfer(facts({ feeRule: { fixed: 10n, percentBps: 0 } }), toWallet('500')) as Plan;
    expect(holdLegs(plan, accounts, 'memo')).toEqual([
      { debit: 'acct-src', credit: 'acct-dst', amount: 500n, description: 'memo' },
      { debit: 'acct-src', credit: 'acct-fees', amount: 10n, description: 'Transfer fee' },
    ]);
  });

  it('sends a payout to the channel settlement account and has no fee leg without a fee', () => {
    const plan = planTransfer(facts({ destination: null, product: bank }), toBank('500')) as Plan;
    expect(holdLegs(plan, accounts, 'memo')).toEqual([
      { debit: 'acct-src', credit: 'acct-settlement', amount: 500n, description: 'memo' },
    ]);
  });
});

describe('canCancel', () => {
  it('allows only a PROCESSING transfer not yet submitted to a channel', () => {
    expect(canCancel({ status: 'PROCESSING', submittedAt: null })).toEqual({ ok: true });
    expect(canCancel({ status: 'PROCESSING', submittedAt: new Date() })).toEqual({
      ok: false,
      message: 'the transfer is already submitted to the channel',
    });
    for (const status of ['COMPLETED', 'FAILED', 'CANCELLED']) {
      expect(canCancel({ status, submittedAt: null })).toEqual({
        ok: false,
        message: `the transfer is ${status.toLowerCase()}`,
      });
    }
    expect(canCancel(null).ok).toBe(false);
  });
});

describe('deterministic IDs', () => {
  it('derives one transfer per (workspace, key) and one deposit per (tenant, key)', () => {
    expect(transferIdFor('ws-1', 'k')).toBe(transferIdFor('ws-1', 'k'));
    expect(transferIdFor('ws-1', 'k')).not.toBe(transferIdFor('ws-2', 'k'));
    expect(depositIdFor('t-1', 'k')).toBe(depositIdFor('t-1', 'k'));
    expect(depositIdFor('t-1', 'k')).not.toBe(depositIdFor('t-2', 'k'));
    expect(depositIdFor('t-1', 'k')).not.toBe(depositIdFor('t-1', 'k2'));
    expect(depositIdFor('t-1', 'k')).not.toBe(transferIdFor('t-1', 'k'));
  });
});

describe('Idempotency-Key and period rules', () => {
  it('accepts the same body under a key (keys in any order) and refuses another body with 409', () => {
    const claimed = { requestHash: requestFingerprint({ amount: 5, walletId: 'w' }) };
    expect(() => assertSameRequest(claimed, { walletId: 'w', amount: 5 })).not.toThrow();
    expect(() => assertSameRequest(claimed, { walletId: 'w', amount: 6 })).toThrow(
      expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 }),
    );
  });

  it('refuses a period whose from is after its to, naming query.from', () => {
    expect(() => assertPeriod({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).not.toThrow();
    expect(() => assertPeriod({ from: '2026-01-01T00:00:00Z' })).not.toThrow();
    expect(() => assertPeriod({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        options: { errors: [{ path: 'query.from', message: 'must not be after to' }] },
      }),
    );
  });
});
