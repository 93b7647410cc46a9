// One webhook POST: Standard Webhooks headers, a time limit, no redirects followed, and (unless local targets are
// allowed) a connection pinned to the address that was checked, so the name is never resolved twice.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { AppError } from '../domain/errors';
import { resolveWebhookTarget, standardWebhookHeaders } from '../domain/webhooks';

export interface PostOutcome {
  statusCode: number | null;
  /** null on a 2xx answer. */
  error: string | null;
  /** The URL was refused (https, private address): not worth retrying until the URL changes. */
  refused: boolean;
}

/** A lookup that answers with the pinned address only. */
function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

export async function postWebhook(input: {
  url: string;
  secret: string;
  webhookId: string;
  body: string;
  allowLocal: boolean;
  timeoutMs: number;
}): Promise<PostOutcome> {
  let address: string | null;
  try {
    ({ address } = await resolveWebhookTarget(input.url, input.allowLocal));
  } catch (err) {
    if (err instanceof AppError) return { statusCode: null, error: err.message, refused: true };
    throw err;
  }
  const url = new URL(input.url);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'payments-portal-webhooks/2',
    'content-length': String(Buffer.byteLength(input.body)),
    ...standardWebhookHeaders(input.secret, input.webhookId, timestamp, input.body),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const done = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = send(
      url,
      { method: 'POST', headers, ...(address ? { lookup: pinnedLookup(address) } : {}) },
      (res: IncomingMessage) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        res.on('end', () =>
          done({ statusCode: status, error: ok ? null : `receiver answered ${status}`, refused: false }),
        );
        res.on('error', () =>
          done({ statusCode: status, error: ok ? null : `receiver answered ${status}`, refused: false }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${input.timeoutMs} ms`));
    }, input.timeoutMs);
    req.on('error', (err) => done({ statusCode: null, error: err.message, refused: false }));
    req.end(input.body);
  });
}
