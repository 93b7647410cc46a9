// Reads of the development mail outbox (activities/email.ts writes it).
import type { EntityManager } from '@mikro-orm/postgresql';
import { EmailOutbox } from '../entities/messaging';

export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: string;
}

/** Mail the outbox transport kept, newest first, optionally to one address. */
export async function listOutboxMail(
  em: EntityManager,
  q: { to?: string; limit: number },
): Promise<OutboxMail[]> {
  const rows = await em.find(
    EmailOutbox,
    { transport: 'OUTBOX', ...(q.to ? { toAddress: q.to.toLowerCase() } : {}) },
    { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: q.limit },
  );
  return rows.map((r) => ({
    to: r.toAddress,
    subject: r.subject,
    text: r.textBody ?? '',
    html: r.htmlBody ?? '',
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}
