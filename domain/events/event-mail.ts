// The mail a tenant admin gets for an event when the tenant's `emailEnabled` is on (transfer.failed,
// partner.failed, onboarding.completed). No secret in it; one message per event and recipient (keyed).

function line(type: string, data: Record<string, unknown>): string {
  const field = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : '');
  switch (type) {
    case 'transfer.failed':
      return `Transfer ${field('id')} of ${String(data.amount)} (minor units) ${field('currency')} failed: ${field('failureCode') || 'no code'}.`;
    case 'partner.failed':
      return `Provisioning of partner ${field('name')} (${field('id')}) failed.`;
    case 'onboarding.completed':
      return `Onboarding batch ${field('id')} completed: ${String(data.succeeded)} partners onboarded, ${String(data.failed)} failed.`;
    default:
      return `Event ${type}.`;
  }
}

const SUBJECTS: Record<string, string> = {
  'transfer.failed': 'A transfer failed',
  'partner.failed': 'A partner could not be provisioned',
  'onboarding.completed': 'An onboarding batch completed',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function eventMail(
  portalUrl: string,
  event: { eventId: string; type: string; data: Record<string, unknown> },
  to: string,
): { key: string; to: string; subject: string; text: string; html: string } {
  const lines = [
    line(event.type, event.data),
    `Event ${event.eventId} (${event.type}); details: GET /v1/events?type=${event.type}.`,
    `Portal: ${portalUrl}`,
  ];
  return {
    key: `event-${event.eventId}-mail-${to.toLowerCase().slice(0, 140)}`,
    to,
    subject: SUBJECTS[event.type] ?? `Event ${event.type}`,
    text: `${lines.join('\n')}\n`,
    html: lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n'),
  };
}
