import { describe, expect, it } from 'vitest';
import { assertStillPending, effectiveStatus, inviterMayGrant } from '../../domain/identity/invitation-rules';

const now = new Date('2026-11-22T12:00:00Z');
const later = new Date(now.getTime() + 1);
const earlier = new Date(now.getTime() - 1);

describe('invitation rules', () => {
  it('reads a PENDING invitation at or past its expiry as EXPIRED, any other status as stored', () => {
    expect(effectiveStatus('PENDING', later, now)).toBe('PENDING');
    expect(effectiveStatus('PENDING', now, now)).toBe('EXPIRED');
    expect(effectiveStatus('PENDING', earlier, now)).toBe('EXPIRED');
    expect(effectiveStatus('ACCEPTED', earlier, now)).toBe('ACCEPTED');
    expect(effectiveStatus('REVOKED', later, now)).toBe('REVOKED');
  });

  it('lets only an unexpired PENDING invitation be settled, naming the status it has otherwise', () => {
    expect(() => assertStillPending({ status: 'PENDING', expiresAt: later }, now)).not.toThrow();
    expect(() => assertStillPending({ status: 'PENDING', expiresAt: earlier }, now)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'the invitation is EXPIRED' }),
    );
    expect(() => assertStillPending({ status: 'DECLINED', expiresAt: later }, now)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'the invitation is DECLINED' }),
    );
  });

  it('lets an inviter grant a role only while it manages the team and holds every permission of the role', () => {
    const manager = ['settings.team.manage', 'balance.view', 'payout.create'];
    expect(inviterMayGrant(manager, ['balance.view'])).toBe(true);
    expect(inviterMayGrant(manager, [])).toBe(true);
    expect(inviterMayGrant(manager, ['balance.view', 'payout.cancel'])).toBe(false);
    expect(inviterMayGrant(['balance.view'], ['balance.view'])).toBe(false);
    expect(inviterMayGrant(null, [])).toBe(false);
  });
});
