// The OpenAPI 3.1 document and an interactive reference page whose script is served from node_modules (offline).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { Scalar } from '@scalar/hono-api-reference';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context';

const require = createRequire(import.meta.url);
/** The self-contained browser build shipped inside the package (not in its exports map). */
const SCALAR_SCRIPT = join(dirname(require.resolve('@scalar/api-reference')), 'browser', 'standalone.js');

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Payments Portal API',
    version: '1.0.0',
    description: 'Tenants, partners, wallets, transfers, members, roles and account security.',
  },
} as const;

export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'session',
  });
  app.doc31('/openapi.json', OPENAPI_INFO);
  let script: Promise<Buffer> | undefined;
  const docs = new Hono<AppEnv>()
    .get('/assets/standalone.js', async (c) => {
      script ??= readFile(SCALAR_SCRIPT);
      c.header('content-type', 'application/javascript; charset=utf-8');
      c.header('cache-control', 'public, max-age=86400');
      return c.body(new Uint8Array(await script));
    })
    .get(
      '/',
      Scalar({ url: '/openapi.json', cdn: '/docs/assets/standalone.js', pageTitle: 'Payments Portal API' }),
    );
  app.route('/docs', docs);
}
