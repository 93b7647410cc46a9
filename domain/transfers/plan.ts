// The one place a transfer is judged: from the facts read under lock (wallets, channel product, fee rule, today's
// outgoing total) to a plan (route, accounts, fee) or a refusal with the code the HTTP contract gives.
import { computeFee, type FeeRule } from '../fees';
import { toMinor } from '../money';
import {
  INTERNAL_CHANNEL_CODE,
  type TransferDestination,
  type TransferRefusal,
  type TransferRequest,
  type TransferRoute,
} from './contract';

export interface WalletFacts {
  id: string;
  accountId: string;
  status: string;
  workspaceStatus: string;
  currency: string;
  limitPerTransfer: bigint | null;
  limitDaily: bigint | null;
}

export interface ChannelProductFacts {
  type: string;
  status: string;
  currencies: string[];
  minAmount: bigint | null;
  maxAmount: bigint | null;
}

/** Everything planTransfer needs, read by the caller (`destination` only for WALLET destinations). */
export interface TransferFacts {
  source: WalletFacts | null;
  destination: WalletFacts | null;
  product: ChannelProductFacts | null;
  feeRule: FeeRule | null;
  /** The source wallet's outgoing total today (UTC), over transfers holding or having moved money. */
  outgoingToday: bigint;
}

export interface Plan {
  ok: true;
  route: TransferRoute;
  channelProductCode: string;
  amount: bigint;
  fee: bigint;
  sourceAccountId: string;
  destinationWalletId: string | null;
  destinationAccountId: string | null;
}

/** Why a transfer is refused: a 422 refusal code, or the 404 / 400 the route answers before any hold. */
export interface Refusal {
  ok: false;
  code: TransferRefusal | 'NOT_FOUND' | 'VALIDATION_FAILED';
  message: string;
  /** The request field at fault (VALIDATION_FAILED only). */
  field?: { path: string; message: string };
}

const refuse = (code: Refusal['code'], message: string, field?: Refusal['field']): Refusal => ({
  ok: false,
  code,
  message,
  ...(field ? { field } : {}),
});

/** The channel product a destination uses: INTERNAL for a wallet, the named product otherwise. */
export function channelCodeOf(destination: TransferDestination): string {
  return destination.type === 'WALLET' ? INTERNAL_CHANNEL_CODE : destination.channelProductCode;
}

/** A wallet cannot send to itself: 400 VALIDATION_FAILED (checked by the route and again by planTransfer). */
export function selfTransferRefusal(
  request: Pick<TransferRequest, 'sourceWalletId' | 'destination'>,
): Refusal | null {
  return request.destination.type === 'WALLET' && request.destination.walletId === request.sourceWalletId
    ? refuse('VALIDATION_FAILED', 'a wallet cannot transfer to itself', {
        path: 'body.destination.walletId',
        message: 'must differ from sourceWalletId',
      })
    : null;
}

function sourceRefusal(source: WalletFacts, currency: string): Refusal | null {
  if (source.status !== 'ACTIVE' || source.workspaceStatus !== 'ACTIVE') {
    const state = source.status === 'ACTIVE' ? 'suspended' : 'frozen';
    return refuse('WALLET_NOT_ACTIVE', `the source wallet is ${state}`);
  }
  if (source.currency !== currency) {
    return refuse('CURRENCY_MISMATCH', `the source wallet holds ${source.currency}, not ${currency}`);
  }
  return null;
}

function destinationRefusal(destination: WalletFacts | null, currency: string): Refusal | null {
  if (!destination) return refuse('DESTINATION_NOT_FOUND', 'the destination wallet does not exist');
  if (destination.status !== 'ACTIVE') return refuse('WALLET_NOT_ACTIVE', 'the destination wallet is frozen');
  if (destination.currency !== currency) {
    return refuse(
      'CURRENCY_MISMATCH',
      `the destination wallet holds ${destination.currency}, not ${currency}`,
    );
  }
  return null;
}

function channelRefusal(
  product: ChannelProductFacts | null,
  code: string,
  route: TransferRoute,
  currency: string,
  amount: bigint,
): Refusal | null {
  if (!product || product.status !== 'ACTIVE' || (route === 'EXTERNAL' && product.type === 'BOOK_TRANSFER')) {
    const state = product ? product.status.toLowerCase() : 'not offered';
    return refuse('CHANNEL_UNAVAILABLE', `the channel ${code} is ${state}`);
  }
  if (product.currencies.length > 0 && !product.currencies.includes(currency)) {
    return refuse('CHANNEL_UNAVAILABLE', `the channel ${code} does not carry ${currency}`);
  }
  if (product.minAmount !== null && amount < product.minAmount) {
    return refuse('LIMIT_EXCEEDED', `the channel ${code} takes at least ${product.minAmount}`);
  }
  if (product.maxAmount !== null && amount > product.maxAmount) {
    return refuse('LIMIT_EXCEEDED', `the channel ${code} takes at most ${product.maxAmount}`);
  }
  return null;
}

function walletLimitRefusal(source: WalletFacts, amount: bigint, outgoingToday: bigint): Refusal | null {
  if (source.limitPerTransfer !== null && amount > source.limitPerTransfer) {
    return refuse('LIMIT_EXCEEDED', `the wallet's per-transfer limit is ${source.limitPerTransfer}`);
  }
  if (source.limitDaily !== null && outgoingToday + amount > source.limitDaily) {
    return refuse(
      'LIMIT_EXCEEDED',
      `the wallet's daily limit is ${source.limitDaily} (used today: ${outgoingToday})`,
    );
  }
  return null;
}

/** Every business rule a transfer must pass, in the order the refusals are reported; the fee on success. */
export function planTransfer(
  facts: TransferFacts,
  request: Pick<TransferRequest, 'sourceWalletId' | 'destination' | 'amount' | 'currency'>,
): Plan | Refusal {
  const amount = toMinor(request.amount);
  const route: TransferRoute = request.destination.type === 'WALLET' ? 'INTERNAL' : 'EXTERNAL';
  const code = channelCodeOf(request.destination);
  const refusal =
    (facts.source ? null : refuse('NOT_FOUND', 'the source wallet does not exist')) ??
    selfTransferRefusal(request) ??
    sourceRefusal(facts.source!, request.currency) ??
    (route === 'INTERNAL' ? destinationRefusal(facts.destination, request.currency) : null) ??
    channelRefusal(facts.product, code, route, request.currency, amount) ??
    walletLimitRefusal(facts.source!, amount, facts.outgoingToday);
  if (refusal) return refusal;
  return {
    ok: true,
    route,
    channelProductCode: code,
    amount,
    fee: computeFee(amount, facts.feeRule),
    sourceAccountId: facts.source!.accountId,
    destinationWalletId: route === 'INTERNAL' ? facts.destination!.id : null,
    destinationAccountId: route === 'INTERNAL' ? facts.destination!.accountId : null,
  };
}

export interface HoldLeg {
  debit: string;
  credit: string;
  amount: bigint;
  description: string;
}

/** The legs a plan holds: the amount to the destination (wallet or channel settlement), the fee to fee revenue. */
export function holdLegs(
  plan: Plan,
  accounts: { settlement: string | null; feeRevenue: string },
  description: string,
): HoldLeg[] {
  const legs: HoldLeg[] = [
    {
      debit: plan.sourceAccountId,
      credit: plan.destinationAccountId ?? accounts.settlement!,
      amount: plan.amount,
      description,
    },
  ];
  if (plan.fee > 0n) {
    legs.push({
      debit: plan.sourceAccountId,
      credit: accounts.feeRevenue,
      amount: plan.fee,
      description: 'Transfer fee',
    });
  }
  return legs;
}
