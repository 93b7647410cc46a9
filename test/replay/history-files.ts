// The workflow types the worker runs (every `...Workflow` export of workflows/index.ts), where their recorded
// histories live, and their JSON form (protobuf's object form: enums, longs and bytes as strings).
// (`historyToJSON` of @temporalio/common cannot be used: it loads a second protobufjs copy in this install.)
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import * as workflows from '../../workflows/index';

type History = temporal.api.history.v1.History;
const HistoryType = temporal.api.history.v1.History;

export const HISTORIES_DIR = join(import.meta.dirname, 'histories');

export const WORKFLOW_TYPES: readonly string[] = Object.entries(workflows)
  .filter(([name, value]) => typeof value === 'function' && name.endsWith('Workflow'))
  .map(([name]) => name)
  .sort();

export function historyToJson(history: temporal.api.history.v1.IHistory): string {
  const object = HistoryType.toObject(HistoryType.fromObject(history), {
    enums: String,
    longs: String,
    bytes: String,
  });
  return JSON.stringify(object, null, 2);
}

export function historyFromJson(json: string): History {
  return HistoryType.fromObject(JSON.parse(json) as Record<string, unknown>);
}
