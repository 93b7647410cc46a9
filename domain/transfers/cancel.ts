// Whether a transfer can still be cancelled: while it waits for approval, or while it is PROCESSING and not yet
// submitted to a channel.
export type CancelVerdict = { ok: true } | { ok: false; message: string };

export function canCancel(transfer: { status: string; submittedAt: Date | null } | null): CancelVerdict {
  if (!transfer) return { ok: false, message: 'the transfer is unknown' };
  if (transfer.status === 'PENDING_APPROVAL') return { ok: true };
  if (transfer.status !== 'PROCESSING') {
    return { ok: false, message: `the transfer is ${transfer.status.toLowerCase()}` };
  }
  if (transfer.submittedAt) return { ok: false, message: 'the transfer is already submitted to the channel' };
  return { ok: true };
}
