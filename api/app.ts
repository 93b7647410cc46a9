// Builds the Hono application: middleware, every resource router, the OpenAPI document and the error mapper.
import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../domain/errors';
import type { AppDeps, AppEnv } from './context';
import { onError, problem } from './errors';
import { accessLog, bodyLimits, provideDeps } from './middleware/basics';
import { registerDocs } from './routes/docs';
import { healthRouter } from './routes/health';
import { platformRouter } from './routes/platform';

/** Every resource router, mounted at the root (their paths are absolute). */
const ROUTERS = [healthRouter, platformRouter];

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', provideDeps(deps));
  app.use('*', accessLog());
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    }),
  );
  app.use('*', bodyLimits());
  for (const router of ROUTERS) app.route('/', router);
  registerDocs(app);
  app.notFound((c) => problem(c, new AppError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`)));
  app.onError(onError);
  return app;
}
