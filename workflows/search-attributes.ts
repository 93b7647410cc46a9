// Search attributes that let operators find any operation in the Temporal UI (registered on the dev server).
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

export const TENANT_ID = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const WORKSPACE_ID = defineSearchAttributeKey('WorkspaceId', SearchAttributeType.KEYWORD);
export const OPERATION_STATUS = defineSearchAttributeKey('OperationStatus', SearchAttributeType.KEYWORD);
/** Set on operations an operator must look at (e.g. `NeedsAttention = "CONTRADICTING_VERDICT"`). */
export const NEEDS_ATTENTION = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.KEYWORD);

/** `name=Type` pairs for `temporal server start-dev --search-attribute`. */
export const SEARCH_ATTRIBUTE_FLAGS = [
  'TenantId=Keyword',
  'WorkspaceId=Keyword',
  'OperationStatus=Keyword',
  'NeedsAttention=Keyword',
];

/** Attributes set when a workflow is started, so it is findable from its first moment. */
export function operationAttributes(tenantId: string, workspaceId: string | null): TypedSearchAttributes {
  const pairs = [
    { key: TENANT_ID, value: tenantId },
    { key: OPERATION_STATUS, value: 'RUNNING' },
    ...(workspaceId ? [{ key: WORKSPACE_ID, value: workspaceId }] : []),
  ];
  return new TypedSearchAttributes(pairs);
}
