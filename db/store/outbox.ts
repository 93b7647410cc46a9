// The mail outbox: the only code that reads and writes `email_outbox` (activities/email.ts records and sends).
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
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

/** The delivery status of a message by its key; null when none was recorded. */
export async function outboxStatus(em: EntityManager, messageKey: string): Promise<string | null> {
  const row = await em.findOne(EmailOutbox, { messageKey }, { fields: ['status'], refresh: true });
  return row?.status ?? null;
}

/** Records a message once per key (a retried step records nothing new). */
export async function insertOutboxMail(
  em: EntityManager,
  m: {
    key: string;
    to: string;
    subject: string;
    text: string | null;
    html: string | null;
    transport: 'SMTP' | 'OUTBOX';
    status: 'PENDING' | 'SENT';
  },
): Promise<void> {
  await em.execute(
    `insert into email_outbox (id, message_key, to_address, subject, text_body, html_body, transport, status, sent_at, created_at)
     values (?, ?, lower(?), ?, ?, ?, ?, ?, ?, clock_timestamp())
     on conflict (message_key) do nothing`,
    [
      randomUUID(),
      m.key,
      m.to,
      m.subject.slice(0, 300),
      m.text,
      m.html,
      m.transport,
      m.status,
      m.status === 'SENT' ? new Date() : null,
    ],
  );
}

export async function markOutboxMailSent(em: EntityManager, messageKey: string): Promise<void> {
  await em.execute(
    `update email_outbox set status = 'SENT', sent_at = clock_timestamp() where message_key = ?`,
    [messageKey],
  );
}
