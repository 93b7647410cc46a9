// A small keep-alive JSON client for the bench's closed-loop clients (node:http, one agent per client group).
import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: any;
}

export interface HttpClient {
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpAnswer>;
  close(): void;
}

/** `localAddress` (e.g. 127.0.0.7) gives this client its own source IP, as distinct users behind distinct hosts. */
export function httpClient(baseUrl: string, options: { sockets?: number; localAddress?: string } = {}) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets ?? 64 });
  const client: HttpClient = {
    async call(method, path, options = {}) {
      try {
        return await send(method, path, options);
      } catch (err) {
        // The server closed an idle keep-alive socket as we reused it: the request never arrived, send it again.
        if ((err as { reusedSocket?: boolean }).reusedSocket) return send(method, path, options);
        throw err;
      }
    },
    close: () => agent.destroy(),
  };
  function send(
    method: string,
    path: string,
    { token, body, headers }: Parameters<HttpClient['call']>[2] = {},
  ): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          localAddress: options.localAddress,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        reject(Object.assign(err, { reusedSocket: req.reusedSocket && err.code === 'ECONNRESET' }));
      });
      req.end(payload);
    });
  }
  return client;
}

/** Calls and throws unless the status is the expected one (set-up steps). */
export async function expectStatus(
  client: HttpClient,
  status: number,
  method: string,
  path: string,
  options?: Parameters<HttpClient['call']>[2],
): Promise<any> {
  const res = await client.call(method, path, options);
  if (res.status !== status) {
    throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}
