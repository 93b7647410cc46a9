import { describe, expect, it } from 'vitest';
import { EXPIRING_KINDS, purgeCutoff, RETENTION_MS } from '../../domain/maintenance/contract';

describe('retention of expiring rows', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it('a session goes as soon as it expires; the others are kept a while past expiry', () => {
    expect(purgeCutoff('sessions', now)).toEqual(now);
    expect(purgeCutoff('mfaChallenges', now)).toEqual(new Date('2026-11-22T11:00:00Z'));
    expect(purgeCutoff('throttleCounters', now)).toEqual(new Date('2026-11-21T12:00:00Z'));
    expect(purgeCutoff('pendingCredentials', now)).toEqual(new Date('2026-11-21T12:00:00Z'));
    expect(purgeCutoff('passwordResets', now)).toEqual(new Date('2026-10-23T12:00:00Z'));
  });

  it('a throttle counter outlives every throttle window and back-off reset (15 minutes)', () => {
    expect(RETENTION_MS.throttleCounters).toBeGreaterThan(15 * 60_000);
  });

  it('every kind has a retention, none is in the future', () => {
    for (const kind of EXPIRING_KINDS)
      expect(purgeCutoff(kind, now).getTime()).toBeLessThanOrEqual(now.getTime());
  });
});
