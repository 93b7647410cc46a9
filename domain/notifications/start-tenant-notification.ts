// Starts the delivery workflow of one tenant event under the one start policy; a repeated event key is a no-op.
import { startWorkflow, type WorkflowStarter } from '../workflow-start';
import {
  tenantNotificationWorkflowId,
  type TenantNotification,
  type TenantNotificationInput,
} from './contract';

export async function startTenantNotification(
  starter: WorkflowStarter,
  notification: TenantNotification,
): Promise<void> {
  const input: TenantNotificationInput = {
    tenantId: notification.tenantId,
    event: notification.event,
    data: notification.data,
  };
  await startWorkflow(starter, {
    workflowType: 'notifyTenantWorkflow',
    workflowId: tenantNotificationWorkflowId(notification.eventKey),
    args: [input],
    searchScope: { tenantId: notification.tenantId, workspaceId: null },
  });
}
