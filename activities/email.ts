// Outgoing email: nodemailer over SMTP when SMTP_URL is set, else the email_outbox table (read in development at
// /v1/dev/outbox). Every message has a key; a key already recorded as SENT is never sent again. The log only ever
// names a message (key, recipient, subject), never its body: bodies carry invitation and password-reset links.
import nodemailer, { type Transporter } from 'nodemailer';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../domain/config';
import { insertOutboxMail, markOutboxMailSent, outboxStatus } from '../db/store/outbox';
import { inTransaction, type ActivityDeps } from './deps';

export interface MailMessage {
  key: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

const transports = new Map<string, Transporter>();

function smtpTransport(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The portal link carrying a token: `PORTAL_URL/<path>?token=<token>`. */
export function portalLink(config: Config, path: string, token: string): string {
  const url = new URL(path, config.PORTAL_URL);
  url.searchParams.set('token', token);
  return url.toString();
}

/** A plain-text and HTML message with one call-to-action link. */
export function linkMessage(
  key: string,
  to: string,
  subject: string,
  lines: string[],
  action: { label: string; url: string },
): MailMessage {
  const text = [...lines, '', `${action.label}: ${action.url}`, ''].join('\n');
  const html = [
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`,
    `<p style="color:#666">${escapeHtml(action.url)}</p>`,
  ].join('\n');
  return { key, to, subject, text, html };
}

export async function mailAlreadySent(deps: ActivityDeps, key: string): Promise<boolean> {
  return (await outboxStatus(deps.orm.em.fork(), key)) === 'SENT';
}

/**
 * Records a message inside the caller's transaction. Without SMTP the row is the delivery (bodies kept,
 * status SENT); with SMTP only the fact is kept (no bodies, so no token rests in the table) until sent.
 */
export async function recordMail(em: EntityManager, config: Config, message: MailMessage): Promise<void> {
  const viaSmtp = Boolean(config.SMTP_URL);
  await insertOutboxMail(em, {
    key: message.key,
    to: message.to,
    subject: message.subject,
    text: viaSmtp ? null : message.text,
    html: viaSmtp ? null : message.html,
    transport: viaSmtp ? 'SMTP' : 'OUTBOX',
    status: viaSmtp ? 'PENDING' : 'SENT',
  });
}

/** After recordMail committed: sends over SMTP (throws so the activity retries); without SMTP the row is it. */
export async function dispatchMail(deps: ActivityDeps, message: MailMessage): Promise<void> {
  const url = deps.config.SMTP_URL;
  if (!url) {
    const where = deps.config.DEV_OUTBOX ? 'read it at /v1/dev/outbox' : 'kept in the email_outbox table';
    deps.logger.info(
      { to: message.to, subject: message.subject, key: message.key },
      `email (no SMTP): ${where}`,
    );
    return;
  }
  await smtpTransport(url).sendMail({
    from: deps.config.MAIL_FROM,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { 'X-Message-Key': message.key },
  });
  await markOutboxMailSent(deps.orm.em.fork(), message.key);
  deps.logger.info({ to: message.to, subject: message.subject, key: message.key }, 'email sent (smtp)');
}

/** Records then dispatches a message that carries no secret. */
export async function deliverMail(deps: ActivityDeps, message: MailMessage): Promise<void> {
  if (await mailAlreadySent(deps, message.key)) return;
  await inTransaction(deps, (em) => recordMail(em, deps.config, message));
  await dispatchMail(deps, message);
}

export function emailActivities(deps: ActivityDeps) {
  return {
    /**
     * Sends one email (no secrets in it: they would be in the history), idempotent per key.
     * Nothing to compensate: a sent mail cannot be unsent.
     */
    async sendEmail(input: MailMessage): Promise<void> {
      await deliverMail(deps, input);
    },
  };
}
