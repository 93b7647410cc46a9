// The caller's IP address, for throttling and audit rows.
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../domain/networks';
import type { AppEnv } from './context';

/**
 * The caller's address when served by @hono/node-server: the TCP peer, or, when the peer is one of
 * TRUSTED_PROXIES, the client its X-Forwarded-For names. Requests handed to the app in-process (tests,
 * `app.request`) have no socket; for those only, the first X-Forwarded-For entry is used, else null.
 */
export function clientIp(c: Context<AppEnv>): string | null {
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  const forwarded = c.req.header('x-forwarded-for');
  if (peer) return clientAddress(peer, forwarded, c.get('deps').config.TRUSTED_PROXY_LIST).slice(0, 64);
  const first = forwarded?.split(',')[0]?.trim();
  return first ? first.slice(0, 64) : null;
}
