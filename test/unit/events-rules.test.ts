import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../domain/config';
import { webhookDeliveryWorkflowId } from '../../domain/events/contract';
import { eventMail } from '../../domain/events/event-mail';
import { transferSummary } from '../../domain/transfers/contract';
import { operatorText } from '../../domain/workflow-start';
import { webhookSigningKey } from '../../domain/webhooks';

const request = {
  transferId: 't1',
  tenantId: 'ten',
  workspaceId: 'ws',
  actorUserId: null,
  sourceWalletId: 'w-src',
  amount: '1234',
  currency: 'USD',
  reference: null,
  memo: null,
  idempotencyKey: 'k',
};

describe('operator view', () => {
  it('summarises a transfer in words and major units', () => {
    expect(transferSummary({ ...request, destination: { type: 'WALLET', walletId: 'w-dst' } })).toBe(
      'Transfer 12.34 USD, wallet w-src to wallet w-dst',
    );
    expect(
      transferSummary({
        ...request,
        amount: '500',
        currency: 'JPY',
        destination: { type: 'CHANNEL', channelProductCode: 'SANDBOX_BANK', beneficiary: {} as never },
      }),
    ).toBe('Transfer 500 JPY, wallet w-src to SANDBOX_BANK payout');
  });

  it('gives every start a summary, a default one from the type and ID', () => {
    const scope = { tenantId: 'ten', workspaceId: 'ws' };
    expect(
      operatorText({ workflowType: 'provisionPartnerWorkflow', workflowId: 'partner-1', searchScope: scope }),
    ).toEqual({
      staticSummary: 'Provision partner partner-1',
      staticDetails: expect.stringContaining('Tenant ten, workspace ws.'),
    });
    expect(
      operatorText({
        workflowType: 'x',
        workflowId: 'y',
        summary: 'Hello',
        details: 'More',
        searchScope: null,
      }).staticDetails,
    ).toMatch(/^More\n\nNo tenant\./);
  });
});

describe('events', () => {
  it('names delivery runs deterministically', () => {
    expect(webhookDeliveryWorkflowId('d1')).toBe('webhook-delivery-d1');
    expect(webhookDeliveryWorkflowId('d1', 2)).toBe('webhook-delivery-d1-retry-2');
  });

  it('decodes the key of a whsec_ secret', () => {
    expect(webhookSigningKey(`whsec_${Buffer.from('key bytes').toString('base64')}`).toString()).toBe(
      'key bytes',
    );
  });

  it('mails one keyed message per event and recipient, naming the resource', () => {
    const mail = eventMail(
      'http://portal.test',
      {
        eventId: 'e1',
        type: 'transfer.failed',
        data: { id: 'tr1', amount: 100, currency: 'USD', failureCode: 'X' },
      },
      'Admin@Bank.test',
    );
    expect(mail).toMatchObject({
      key: 'event-e1-mail-admin@bank.test',
      to: 'Admin@Bank.test',
      subject: 'A transfer failed',
    });
    expect(mail.text).toContain('tr1');
    expect(mail.text).toContain('X');
  });

  it('reads the retry schedule from the environment and refuses a bad one', () => {
    const base = { DATABASE_URL: 'postgres://x@localhost/db' };
    expect(loadConfig(base).WEBHOOK_RETRY_SCHEDULE_MS).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: '1s,2s' }).WEBHOOK_RETRY_SCHEDULE_MS).toEqual([
      1_000, 2_000,
    ]);
    expect(() => loadConfig({ ...base, WEBHOOK_RETRY_SCHEDULE: '1s,soon' })).toThrow(
      /WEBHOOK_RETRY_SCHEDULE/,
    );
  });
});
