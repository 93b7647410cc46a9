import { describe, expect, it } from 'vitest';
import { recordEvent } from '../../domain/events/record-event';
import { useTestContext } from '../helpers/context';
import { createTenant } from '../helpers/factories';
import { fundedWalletPair, postTransfer, walletTransfer } from '../helpers/wallets';

const ctx = useTestContext();

async function eventsOf(workspaceId: string, type: string) {
  return ctx.orm.em
    .fork()
    .execute<{ id: string; type: string; data: any; tenant_id: string }[]>(
      'select id, type, data, tenant_id from event where workspace_id = ? and type = ?',
      [workspaceId, type],
    );
}

describe('event outbox', () => {
  it('writes transfer.completed with the transfer as the API shows it, once', async () => {
    const { tenant, partner, other, source, dest } = await fundedWalletPair(ctx, 5_000);
    const res = await postTransfer(ctx, partner.admin.token, walletTransfer(source, dest, 1_234));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.workflowId).toBe(`transfer-${res.body.id}`);
    const events = await eventsOf(partner.workspaceId, 'transfer.completed');
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ id: res.body.id, status: 'COMPLETED', amount: 1_234 });
    expect(events[0]!.tenant_id).toBe(tenant.tenantId);
    expect(await eventsOf(other.workspaceId, 'transfer.completed')).toHaveLength(0);
  });

  it('commits or rolls back with the caller transaction and refuses to run outside one', async () => {
    const tenant = await createTenant(ctx);
    const em = ctx.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        await recordEvent(tx, {
          type: 'member.invited',
          tenantId: tenant.tenantId,
          workspaceId: tenant.workspaceId,
          data: { rolledBack: true },
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await eventsOf(tenant.workspaceId, 'member.invited')).toHaveLength(0);
    await expect(
      recordEvent(ctx.orm.em.fork(), {
        type: 'member.invited',
        tenantId: tenant.tenantId,
        workspaceId: tenant.workspaceId,
        data: {},
      }),
    ).rejects.toThrow(/outside a transaction/);
    const key = `test:${tenant.tenantId}`;
    for (let i = 0; i < 2; i++) {
      await em.fork().transactional((tx) =>
        recordEvent(tx, {
          type: 'member.invited',
          tenantId: tenant.tenantId,
          workspaceId: tenant.workspaceId,
          data: { i },
          key,
        }),
      );
    }
    expect(await eventsOf(tenant.workspaceId, 'member.invited')).toHaveLength(1);
  });
});
