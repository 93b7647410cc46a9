// A workspace's webhook endpoints (Standard Webhooks): CRUD, their deliveries with every attempt's outcome, and
// the manual retry of a delivery (same event, same `webhook-id`). The secret is shown once, on creation.
import { EVENT_TYPES } from '../../domain/events/contract';
import { startDeliveryWorkflow } from '../../domain/events/start-deliveries';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  retryWebhookDelivery,
  updateWebhookEndpoint,
} from '../../domain/events/webhook-endpoints';
import { notFound } from '../../domain/errors';
import { assertWebhookTarget } from '../../domain/webhooks';
import { findEndpoint, listDeliveries, listEndpoints } from '../../db/store/events';
import { actorOf } from '../actor';
import { decodeCursor, pageAnswer } from '../pagination';
import {
  CreatedWebhookEndpointSchema,
  DeliverySchema,
  endpointJson,
  WebhookEndpointSchema,
} from '../render/events';
import {
  COMMON_ERRORS,
  createRouter,
  defineRoute,
  IdParam,
  jsonBody,
  jsonContent,
  pageOf,
  PageQuery,
  problemResponse,
  z,
} from '../openapi';

const Events = z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length);
const Url = z.url().max(2048).openapi({ example: 'https://hooks.example.com/portal' });

const CreateBody = z.strictObject({ url: Url, events: Events }).openapi('CreateWebhookEndpoint', {
  example: { url: 'https://hooks.example.com/portal', events: ['transfer.completed'] },
});

const PatchBody = z
  .strictObject({ url: Url.optional(), events: Events.optional(), enabled: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' })
  .openapi('PatchWebhookEndpoint', { example: { enabled: false } });

const DeliveryQuery = PageQuery.extend({ status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']).optional() });
const DeliveryParams = IdParam.extend({
  deliveryId: z.uuid().openapi({ param: { name: 'deliveryId', in: 'path' } }),
});

const URL_RULE =
  '`url` must be https and resolve to public addresses only (both lifted by `ALLOW_HTTP_WEBHOOKS=1`): 400 otherwise.';

export const webhookEndpointsRouter = createRouter()
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/webhook-endpoints',
      tags: ['Webhooks'],
      summary: "The workspace's webhook endpoints",
      access: 'settings.webhooks.edit',
      responses: {
        200: jsonContent(z.object({ data: z.array(WebhookEndpointSchema) }), 'Endpoints'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => {
      const rows = await listEndpoints(c.get('em'), c.get('auth').workspace.id);
      return c.json({ data: rows.map(endpointJson) }, 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/workspace/webhook-endpoints',
      tags: ['Webhooks'],
      summary: "Add an endpoint receiving this workspace's events of the given types",
      description: `${URL_RULE} The answer carries the \`whsec_\` signing secret, once.`,
      access: 'settings.webhooks.edit',
      request: { body: jsonBody(CreateBody) },
      responses: {
        201: jsonContent(CreatedWebhookEndpointSchema, 'The endpoint with its secret'),
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: too many endpoints'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { config } = c.get('deps');
      await assertWebhookTarget(body.url, config.ALLOW_HTTP_WEBHOOKS, undefined, 'body.url');
      const { endpoint, secret } = await createWebhookEndpoint(
        c.get('em'),
        { url: body.url, events: body.events, encryptionKey: config.MFA_ENCRYPTION_KEY },
        actorOf(c),
      );
      return c.json({ ...endpointJson(endpoint), secret }, 201);
    },
  )
  .openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/workspace/webhook-endpoints/{id}',
      tags: ['Webhooks'],
      summary: 'Change an endpoint (a disabled one receives nothing, pending deliveries stop)',
      description: URL_RULE,
      access: 'settings.webhooks.edit',
      request: { params: IdParam, body: jsonBody(PatchBody) },
      responses: { 200: jsonContent(WebhookEndpointSchema, 'The endpoint'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { config } = c.get('deps');
      if (body.url) await assertWebhookTarget(body.url, config.ALLOW_HTTP_WEBHOOKS, undefined, 'body.url');
      const endpoint = await updateWebhookEndpoint(
        c.get('em'),
        { endpointId: c.req.valid('param').id, ...body },
        actorOf(c),
      );
      return c.json(endpointJson(endpoint), 200);
    },
  )
  .openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/workspace/webhook-endpoints/{id}',
      tags: ['Webhooks'],
      summary: 'Delete an endpoint with its deliveries (pending ones stop)',
      access: 'settings.webhooks.edit',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...COMMON_ERRORS },
    }),
    async (c) => {
      await deleteWebhookEndpoint(c.get('em'), { endpointId: c.req.valid('param').id }, actorOf(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    defineRoute({
      method: 'get',
      path: '/v1/workspace/webhook-endpoints/{id}/deliveries',
      tags: ['Webhooks'],
      summary: "An endpoint's deliveries, newest first: status, attempts, last answer, next attempt",
      access: 'settings.webhooks.edit',
      request: { params: IdParam, query: DeliveryQuery },
      responses: { 200: jsonContent(pageOf(DeliverySchema), 'A page of deliveries'), ...COMMON_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const em = c.get('em');
      const endpoint = await findEndpoint(em, c.get('auth').workspace.id, c.req.valid('param').id);
      if (!endpoint) throw notFound('webhook endpoint');
      const rows = await listDeliveries(em, {
        endpointId: endpoint.id,
        status: q.status,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return c.json(
        pageAnswer(rows, q.limit, ({ delivery: { createdAt: _createdAt, ...d } }) => ({
          ...d,
          status: d.status as 'PENDING' | 'SUCCEEDED' | 'FAILED',
        })),
        200,
      );
    },
  )
  .openapi(
    defineRoute({
      method: 'post',
      path: '/v1/workspace/webhook-endpoints/{id}/deliveries/{deliveryId}/retry',
      tags: ['Webhooks'],
      summary: 'Deliver the same event again (same `webhook-id`), with a fresh retry schedule',
      access: 'settings.webhooks.edit',
      request: { params: DeliveryParams },
      responses: {
        202: { description: 'Retry started' },
        ...COMMON_ERRORS,
        409: problemResponse('CONFLICT: the endpoint is disabled'),
      },
    }),
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      const retry = await retryWebhookDelivery(c.get('em'), { endpointId: id, deliveryId }, actorOf(c));
      // A lost start leaves the delivery PENDING and overdue: the event sweep starts this run.
      await startDeliveryWorkflow(c.get('deps'), {
        id: retry.deliveryId,
        runs: retry.run,
        tenantId: c.get('auth').workspace.tenantId,
        type: retry.type,
      });
      return c.body(null, 202);
    },
  );
