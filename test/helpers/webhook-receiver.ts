// A local webhook receiver for tests: records every request; `failFirst[path]` requests on a path answer 503.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** Webhook targets a tenant may never use: loopback, private, link-local and cloud-metadata addresses. */
export const PRIVATE_WEBHOOK_TARGETS = [
  'https://127.0.0.1/hook',
  'https://localhost/hook',
  'https://[::1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[fd12:3456::1]/hook',
  'https://[fe80::1]/hook',
  'https://169.254.169.254/latest/meta-data',
  'https://10.1.2.3/hook',
  'https://192.168.1.10/hook',
];

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  received: Received[];
  failFirst: Record<string, number>;
  /** The receiver's URL for `path`. */
  url(path: string): string;
}

/** Starts the receiver before the file's tests and closes it after them. */
export function useWebhookReceiver(): WebhookReceiver {
  let server: Server;
  let base = '';
  const receiver: WebhookReceiver = { received: [], failFirst: {}, url: (path) => `${base}${path}` };
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const path = req.url ?? '/';
        receiver.received.push({ path, headers: req.headers, body });
        const failures = receiver.failFirst[path] ?? 0;
        if (failures > 0) {
          receiver.failFirst[path] = failures - 1;
          res.writeHead(503).end('not now');
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  );
  return receiver;
}
