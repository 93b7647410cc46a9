import { describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { ROUTE_ACCESS } from '../../api/openapi';
import { loadConfig, ConfigError } from '../../domain/config';
import { createLogger } from '../../domain/logger';
import { openOrm } from '../../db/orm';
import { useTestContext } from '../helpers/context';
import { call, expectProblem } from '../helpers/http';

const ctx = useTestContext({ worker: false });

describe('operations endpoints', () => {
  it('/health answers 200 and /ready checks PostgreSQL and Temporal', async () => {
    expect((await call(ctx, 'GET', '/health')).status).toBe(200);
    const ready = await call(ctx, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } });
    expect(ready.headers.get('x-request-id')).toBeTruthy();
    expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('/ready answers 503 naming Temporal when it is down', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const app = createApp({
      config: ctx.config,
      orm: ctx.orm,
      temporal: new Client({ connection }),
      logger: createLogger('silent'),
      taskQueue: 'unused',
    });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', checks: { postgres: 'ok', temporal: 'down' } });
  });

  it('/ready answers 503 naming PostgreSQL when it is down', async () => {
    const orm = await openOrm('postgres://postgres@127.0.0.1:1/nothing', { poolMax: 1 });
    const app = createApp({
      config: ctx.config,
      orm,
      temporal: ctx.temporal,
      logger: createLogger('silent'),
      taskQueue: 'unused',
    });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', checks: { postgres: 'down', temporal: 'ok' } });
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
