// The transfers area: contract (workflow ID, update/signal definitions, request and outcome types), IDs and pure
// rules (planTransfer, canCancel). Commands are imported by their own files.
// Workflow code imports './contract' directly (this index pulls in node:crypto through './ids').
export * from './contract';
export * from './ids';
export * from './plan';
export * from './cancel';
