// Publishes a workflow's business status as the OperationStatus search attribute.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { OPERATION_STATUS } from './search-attributes';

export function markStatus(status: string): void {
  upsertSearchAttributes([{ key: OPERATION_STATUS, value: status }]);
}
