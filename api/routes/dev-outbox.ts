// The development mail outbox: the mail the system "sent" without SMTP. Served only when DEV_OUTBOX=1.
import { AppError } from '../../domain/errors';
import { listOutboxMail } from '../../db/store/outbox';
import { createRouter, defineRoute, jsonContent, problemResponse, z } from '../openapi';

const OutboxQuery = z.object({
  to: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const OutboxMail = z
  .object({ to: z.string(), subject: z.string(), text: z.string(), html: z.string(), createdAt: z.string() })
  .openapi('OutboxMail');

export const devOutboxRouter = createRouter().openapi(
  defineRoute({
    method: 'get',
    path: '/v1/dev/outbox',
    tags: ['Operations'],
    summary: 'Development only: mail written to the outbox, newest first',
    description: 'Exists only when `DEV_OUTBOX=1` (404 otherwise). Never enable it in production.',
    access: 'public',
    request: { query: OutboxQuery },
    responses: {
      200: jsonContent(z.object({ data: z.array(OutboxMail) }), 'The outbox'),
      404: problemResponse('NOT_FOUND: the outbox is off'),
    },
  }),
  async (c) => {
    if (!c.get('deps').config.DEV_OUTBOX) {
      throw new AppError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);
    }
    const query = c.req.valid('query');
    return c.json({ data: await listOutboxMail(c.get('em'), query) }, 200);
  },
);
