// Sessions are keyed by the token's digest; clients see a second, one-way reference instead.
import { createHash } from 'node:crypto';

export const SESSION_REF_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function publicSessionId(sessionId: string): string {
  return createHash('sha256').update(`session-ref:${sessionId}`).digest('base64url').slice(0, 22);
}
