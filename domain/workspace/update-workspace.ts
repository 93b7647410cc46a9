// Rename the actor's workspace or change its settings (top-level keys merged into the current settings).
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../errors';
import { auditBy, type Actor } from '../identity/actor';
import { recordAudit } from '../../db/store/audit';
import { findWorkspace, updateWorkspace as writeWorkspace } from '../../db/store/workspaces';

export async function updateWorkspace(
  em: EntityManager,
  input: { name?: string; settings?: Record<string, unknown> },
  actor: Actor,
): Promise<void> {
  await em.transactional(async (tx) => {
    const workspace = await findWorkspace(tx, actor.workspaceId, true);
    if (!workspace) throw notFound('workspace');
    await writeWorkspace(tx, workspace.id, {
      name: input.name,
      settings: input.settings ? { ...(workspace.settings ?? {}), ...input.settings } : undefined,
    });
    await recordAudit(
      tx,
      auditBy(
        actor,
        'workspace.updated',
        { type: 'workspace', id: workspace.id },
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.settings ? { settingsKeys: Object.keys(input.settings) } : {}),
        },
      ),
    );
  });
}
