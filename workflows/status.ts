// Publishes a workflow's business status as the OperationStatus search attribute.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { NEEDS_ATTENTION, OPERATION_STATUS } from './search-attributes';

export function markStatus(status: string): void {
  upsertSearchAttributes([{ key: OPERATION_STATUS, value: status }]);
}

/** Flags the workflow for an operator (NeedsAttention search attribute) with the reason. */
export function raiseAlert(reason: string): void {
  upsertSearchAttributes([{ key: NEEDS_ATTENTION, value: reason }]);
}
