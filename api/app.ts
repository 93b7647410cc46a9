// Builds the Hono application: middleware, every resource router, the OpenAPI document and the error mapper.
import { installEventDispatch } from '../domain/events/dispatch-on-commit';
import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../domain/errors';
import type { AppDeps, AppEnv } from './context';
import { onError, problem } from './errors';
import { accessLog, bodyLimits, provideDeps, requestIds } from './middleware/basics';
import { registerDocs } from './routes/docs';
import { healthRouter } from './routes/health';
import { platformRouter } from './routes/platform';
import { authRouter } from './routes/auth';
import { meRouter } from './routes/me';
import { workspaceRouter } from './routes/workspace';
import { membersRouter } from './routes/members';
import { rolesRouter } from './routes/roles';
import { permissionsRouter } from './routes/permissions';
import { invitationsRouter } from './routes/invitations';
import { meInvitationsRouter } from './routes/me-invitations';
import { passwordResetRouter } from './routes/password-reset';
import { devOutboxRouter } from './routes/dev-outbox';
import { tenantNotificationsRouter } from './routes/tenant-notifications';
import { eventsRouter } from './routes/events';
import { webhookEndpointsRouter } from './routes/webhook-endpoints';
import { auditLogRouter } from './routes/audit-log';
import { tenantPartnersRouter } from './routes/tenant-partners';
import { tenantOnboardingRouter } from './routes/tenant-onboarding';
import { tenantReferralCodesRouter } from './routes/tenant-referral-codes';
import { referralsRouter } from './routes/referrals';
import { consumersRouter } from './routes/consumers';
import { walletsRouter } from './routes/wallets';
import { transfersRouter } from './routes/transfers';
import { transferSecurityRouter } from './routes/transfer-security';
import { channelProductsRouter } from './routes/channel-products';
import { tenantWalletsRouter } from './routes/tenant-wallets';
import { tenantChannelProductsRouter } from './routes/tenant-channel-products';
import { tenantFeesRouter } from './routes/tenant-fees';
import { channelCallbacksRouter } from './routes/channel-callbacks';
import { merchantApplicationsRouter } from './routes/merchant-applications';
import { tenantMerchantsRouter } from './routes/tenant-merchants';

/** Every resource router, mounted at the root (their paths are absolute). */
const ROUTERS = [
  healthRouter,
  platformRouter,
  authRouter,
  meRouter,
  workspaceRouter,
  membersRouter,
  rolesRouter,
  permissionsRouter,
  invitationsRouter,
  meInvitationsRouter,
  passwordResetRouter,
  devOutboxRouter,
  tenantNotificationsRouter,
  eventsRouter,
  webhookEndpointsRouter,
  auditLogRouter,
  tenantPartnersRouter,
  tenantOnboardingRouter,
  tenantReferralCodesRouter,
  referralsRouter,
  consumersRouter,
  walletsRouter,
  transfersRouter,
  transferSecurityRouter,
  channelProductsRouter,
  tenantWalletsRouter,
  tenantChannelProductsRouter,
  tenantFeesRouter,
  channelCallbacksRouter,
  merchantApplicationsRouter,
  tenantMerchantsRouter,
];

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  installEventDispatch(deps.orm, deps, deps.logger);
  app.use('*', requestIds());
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
