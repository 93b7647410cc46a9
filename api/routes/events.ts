// The events API: the caller's workspace's events (a tenant workspace: the whole tenant's), newest first, for
// polling and reconciliation next to (or instead of) webhooks.
import { EVENT_TYPES } from '../../domain/events/contract';
import { listEvents } from '../../db/store/events';
import { decodeCursor, pageAnswer } from '../pagination';
import { EventSchema } from '../render/events';
import { COMMON_ERRORS, createRouter, defineRoute, jsonContent, pageOf, PageQuery, z } from '../openapi';

const EventQuery = PageQuery.extend({ type: z.enum(EVENT_TYPES).optional() });

export const eventsRouter = createRouter().openapi(
  defineRoute({
    method: 'get',
    path: '/v1/events',
    tags: ['Events'],
    summary: "The workspace's events, newest first (a tenant workspace sees the whole tenant's)",
    access: 'settings.webhooks.edit',
    request: { query: EventQuery },
    responses: { 200: jsonContent(pageOf(EventSchema), 'A page of events'), ...COMMON_ERRORS },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const { workspace } = c.get('auth');
    const rows = await listEvents(c.get('em'), {
      tenantId: workspace.tenantId,
      workspaceId: workspace.kind === 'TENANT' ? null : workspace.id,
      type: q.type,
      after: decodeCursor(q.cursor),
      limit: q.limit,
    });
    return c.json(
      pageAnswer(rows, q.limit, (r) => r.event),
      200,
    );
  },
);
