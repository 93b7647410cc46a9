// The transfer_security migration gives the system roles Admin and Finance of workspaces that existed before it the
// new payout.approve permission (new workspaces get it from domain/permissions.ts); other roles keep theirs.
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { openOrm } from '../../db/orm';
import { dropDatabase, ensureDatabase } from '../../scripts/services';

const BEFORE = 'Migration20261122062517_events';

describe('migration transfer_security: payout.approve for existing system roles', () => {
  it('adds it to system Admin and Finance roles once, not to other or custom roles', async () => {
    const url = new URL(inject('databaseUrl'));
    const database = `portal_migration_check_${randomUUID().slice(0, 8)}`;
    await ensureDatabase(url.toString(), database);
    url.pathname = `/${database}`;
    const orm = await openOrm(url.toString(), { poolMax: 1 });
    try {
      await orm.migrator.up({ to: BEFORE });
      const em = orm.em.fork();
      const [tenantId, workspaceId] = [randomUUID(), randomUUID()];
      await em.execute(`insert into tenant (id, name, status, created_at) values (?, 'T', 'ACTIVE', now())`, [
        tenantId,
      ]);
      await em.execute(
        `insert into workspace (id, tenant_id, kind, name, settings, status, created_at)
         values (?, ?, 'PARTNER', 'W', '{}', 'ACTIVE', now())`,
        [workspaceId, tenantId],
      );
      const roles: [string, string, boolean][] = [
        ['Admin', '{payout.view,payout.cancel}', true],
        ['Finance', '{payout.view}', true],
        ['Operations', '{home.view}', true],
        ['Payout clerk', '{payout.view}', false],
      ];
      for (const [name, permissions, system] of roles) {
        await em.execute(
          `insert into role (id, workspace_id, name, permissions, system, created_at) values (?, ?, ?, ?::text[], ?, now())`,
          [randomUUID(), workspaceId, name, permissions, system],
        );
      }
      await orm.migrator.up();
      const after = await em.execute<{ name: string; permissions: string[] }[]>(
        'select name, permissions from role where workspace_id = ? order by name',
        [workspaceId],
      );
      expect(after).toEqual([
        { name: 'Admin', permissions: ['payout.view', 'payout.cancel', 'payout.approve'] },
        { name: 'Finance', permissions: ['payout.view', 'payout.approve'] },
        { name: 'Operations', permissions: ['home.view'] },
        { name: 'Payout clerk', permissions: ['payout.view'] },
      ]);
    } finally {
      await orm.close();
      url.pathname = '/postgres';
      await dropDatabase(url.toString(), database);
    }
  });
});
