import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { ROUTE_ACCESS } from '../../api/openapi';
import { loadConfig, ConfigError } from '../../domain/config';
import { openOrm } from '../../db/orm';
import { appWith, useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';
import { serveWorkerHealth } from '../../worker/health';
import { eventually } from './messaging-helpers';

const ctx = useTestContext({ worker: false });

describe('operations endpoints', () => {
  it('/health answers 200 and /ready checks PostgreSQL and Temporal', async () => {
    expect((await call(ctx, 'GET', '/health')).status).toBe(200);
    const ready = await call(ctx, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { postgres: 'ok', temporal: 'ok', worker: 'down' } });
    expect(ready.headers.get('x-request-id')).toBeTruthy();
    expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('/ready answers 503 naming Temporal when it is down', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const app = appWith(ctx, { temporal: new Client({ connection }), taskQueue: 'unused' });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'unavailable',
      checks: { postgres: 'ok', temporal: 'down', worker: 'down' },
    });
  });

  it('/ready answers 503 naming PostgreSQL when it is down', async () => {
    const orm = await openOrm('postgres://postgres@127.0.0.1:1/nothing', { poolMax: 1 });
    const app = appWith(ctx, { orm, taskQueue: 'unused' });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'unavailable',
      checks: { postgres: 'down', temporal: 'ok', worker: 'down' },
    });
    await orm.close();
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await call(ctx, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    for (const route of ROUTE_ACCESS) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      expect(res.body.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
    expect(
      res.body.paths['/v1/platform/tenants'].post.requestBody.content['application/json'].schema,
    ).toBeDefined();
  });

  it('serves the API reference page with its script from this server (works offline)', async () => {
    const page = await ctx.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/docs/assets/standalone.js');
    expect(html).not.toMatch(/https?:\/\/cdn/);
    const script = await ctx.app.request('/docs/assets/standalone.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
  });

  it('answers unknown routes with a problem+json 404', async () => {
    expectProblem(await call(ctx, 'GET', '/v1/nothing-here'), 404, 'NOT_FOUND');
  });
});

describe('worker readiness', () => {
  const withWorker = useTestContext();

  it('/ready says whether a worker polls the task queue', async () => {
    const ready = await eventually(async () => {
      const res = await call(withWorker, 'GET', '/ready');
      return res.body.checks.worker === 'ok' ? res : undefined;
    });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { postgres: 'ok', temporal: 'ok', worker: 'ok' } });
  });

  it('the worker health endpoint answers 200 while the worker runs and 503 once it stops', async () => {
    const worker = withWorker.worker!;
    const server = await serveWorkerHealth(worker, 0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    try {
      const running = await fetch(`http://127.0.0.1:${port}/health`);
      expect(running.status).toBe(200);
      expect(await running.json()).toEqual({ status: 'running' });
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      worker.shutdown();
      const stopped = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        return res.status === 503 ? res : undefined;
      });
      expect(await stopped.json()).toEqual({
        status: expect.stringMatching(/stopping|draining|drained|stopped/),
      });
    } finally {
      server.close();
    }
  });
});

// `openssl rand -base64 32`: 44 characters with `+`, `/` and `=`.
const BASE64_TOKEN = 'q+Zk3/9vR0xW1uTn8yB2cD4eF6gH7iJ5kL0mN1oP2s=';

describe('a base64 platform admin token', () => {
  const b64 = useTestContext({ worker: false, env: { PLATFORM_ADMIN_TOKEN: BASE64_TOKEN } });

  it('is accepted by the configuration and by the platform routes', async () => {
    expect(b64.config.PLATFORM_ADMIN_TOKEN).toBe(BASE64_TOKEN);
    const right = await call(b64, 'POST', '/v1/platform/tenants', {
      headers: { authorization: `Bearer ${BASE64_TOKEN}` },
      body: {},
    });
    expectProblem(right, 400, 'VALIDATION_FAILED');
    for (const wrong of [BASE64_TOKEN.slice(0, -1), `${BASE64_TOKEN}x`, BASE64_TOKEN.replace('+', '-')]) {
      const res = await call(b64, 'POST', '/v1/platform/tenants', {
        headers: { authorization: `Bearer ${wrong}` },
        body: {},
      });
      expectProblem(res, 401, 'UNAUTHENTICATED');
    }
  });

  it('a token of another form is refused at start, naming the variable', () => {
    const base = { DATABASE_URL: 'postgres://x@h/db' };
    for (const bad of [
      'short-token',
      'has spaces in the token value',
      'ümlaut-token-0123456789',
      'x'.repeat(201),
    ]) {
      expect(() => loadConfig({ ...base, PLATFORM_ADMIN_TOKEN: bad })).toThrow(/PLATFORM_ADMIN_TOKEN/);
    }
    expect(loadConfig({ ...base, PLATFORM_ADMIN_TOKEN: 'ab'.repeat(24) }).PLATFORM_ADMIN_TOKEN).toBe(
      'ab'.repeat(24),
    );
  });
});

describe('configuration', () => {
  it('names the bad variable at start-up', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@h/db', PORT: 'abc' })).toThrow(/PORT/);
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://x@h/db', CHANNEL_CONFIRM_TIMEOUT: '5 minutes' }),
    ).toThrow(/CHANNEL_CONFIRM_TIMEOUT/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@h/db', NODE_ENV: 'production' })).toThrow(
      ConfigError,
    );
    expect(
      loadConfig({ DATABASE_URL: 'postgres://x@h/db', CHANNEL_CONFIRM_TIMEOUT: '30s' })
        .CHANNEL_CONFIRM_TIMEOUT_MS,
    ).toBe(30_000);
  });
});
