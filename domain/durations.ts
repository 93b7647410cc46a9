// Parses human durations such as "30s", "5m", "1h", "7d" into milliseconds.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`invalid duration "${text}" (expected e.g. 30s, 5m, 1h, 7d)`);
  const value = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  if (value <= 0) throw new Error(`duration "${text}" must be positive`);
  return value * UNIT_MS[unit];
}
