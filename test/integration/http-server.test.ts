// The API behind a real @hono/node-server socket: request IDs on every answer, 413 closes the connection, and
// the client address behind trusted proxies (TRUSTED_PROXIES).
import { request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../api/app';
import { MiB } from '../../api/middleware/basics';
import { appWith as appWithContext, testConfig, useTestContext, type TestContext } from '../helpers/context';
import { call } from '../helpers/http';
import { uniqueEmail } from '../helpers/factories';

const ctx = useTestContext({ worker: false });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  writeError: string | null;
}

function send(
  port: number,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer; agent?: Agent },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let writeError: string | null = null;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        agent: options.agent,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, writeError }));
      },
    );
    req.on('error', (err) => {
      writeError = err.message;
      if (!req.writableEnded) reject(err);
    });
    req.end(options.body);
  });
}

function listen(app: ReturnType<typeof createApp>): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    );
  });
}

function appWith(test: TestContext, env: Record<string, string>) {
  return appWithContext(test, { config: testConfig(env) });
}

let plain: { server: ServerType; port: number };
let proxied: { server: ServerType; port: number };

beforeAll(async () => {
  plain = await listen(ctx.app);
  proxied = await listen(appWith(ctx, { TRUSTED_PROXIES: '127.0.0.1/32, ::1' }));
});

afterAll(() => {
  plain?.server.close();
  proxied?.server.close();
});

describe('request IDs', () => {
  it('every answer, errors included, carries X-Request-Id, the caller’s own when it sent one', async () => {
    const answers = [
      await call(ctx, 'GET', '/v1/nothing-here'),
      await call(ctx, 'GET', '/v1/me'),
      await call(ctx, 'POST', '/v1/auth/login', { body: { email: 'not an email' } }),
      await call(ctx, 'POST', '/v1/auth/login', {
        rawBody: '{',
        headers: { 'content-type': 'application/json' },
      }),
      await call(ctx, 'GET', '/health'),
    ];
    for (const res of answers)
      expect(res.headers.get('x-request-id'), `${res.status}`).toMatch(/^[\w-]{8,}$/);
    const own = await call(ctx, 'GET', '/v1/nothing-here', {
      headers: { 'x-request-id': 'caller-chosen-id-42' },
    });
    expect(own.headers.get('x-request-id')).toBe('caller-chosen-id-42');
    expect(own.body.requestId).toBe('caller-chosen-id-42');
  });

  it('over a real socket too', async () => {
    const res = await send(plain.port, {
      method: 'GET',
      path: '/v1/me',
      headers: { 'x-request-id': 'socket-id-7' },
    });
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe('socket-id-7');
  });
});

describe('an oversize body', () => {
  it('is answered 413 problem+json with Connection: close, and the next request gets a fresh connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = Buffer.alloc(2 * MiB, 'a');
      const framings: Record<string, string>[] = [
        { 'content-type': 'application/json', 'content-length': String(body.length) },
        { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      ];
      for (const headers of framings) {
        const res = await send(plain.port, { method: 'POST', path: '/v1/auth/login', headers, body, agent });
        expect(res.status).toBe(413);
        expect(res.headers.connection).toBe('close');
        expect(res.headers['x-request-id']).toBeTruthy();
        expect(JSON.parse(res.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
        const next = await send(plain.port, { method: 'GET', path: '/health', agent });
        expect(next.status).toBe(200);
        expect(next.headers.connection).toBe('keep-alive');
      }
    } finally {
      agent.destroy();
    }
  });
});

async function auditIpOfFailedLogin(port: number, forwardedFor: string): Promise<string | null> {
  const requestId = `trusted-proxy-${Math.random().toString(36).slice(2)}`;
  const res = await send(port, {
    method: 'POST',
    path: '/v1/auth/login',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': forwardedFor,
      'x-request-id': requestId,
    },
    body: Buffer.from(JSON.stringify({ email: uniqueEmail('nobody'), password: 'wrong password here' })),
  });
  expect(res.status).toBe(401);
  const [row] = await ctx.orm.em
    .fork()
    .execute<{ ip: string | null }[]>('select ip from audit_log where request_id = ?', [requestId]);
  return row?.ip ?? null;
}

describe('the client address (throttling, audit)', () => {
  it('is the TCP peer, whatever X-Forwarded-For says, when the peer is not a trusted proxy', async () => {
    expect(await auditIpOfFailedLogin(plain.port, '203.0.113.77')).toBe('127.0.0.1');
  });

  it('comes from X-Forwarded-For when the peer is one of TRUSTED_PROXIES', async () => {
    expect(await auditIpOfFailedLogin(proxied.port, '203.0.113.77')).toBe('203.0.113.77');
    expect(await auditIpOfFailedLogin(proxied.port, '6.6.6.6, 198.51.100.8, 127.0.0.1')).toBe('198.51.100.8');
  });
});
