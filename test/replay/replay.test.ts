// Replays the recorded histories of every workflow type against today's workflow code: a change that would break
// running workflows (a reordered, added or removed command without `patched()`) fails here.
// Refresh the histories with `npm run replay:refresh` (see README, "Workflow replay").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, historyFromJson, WORKFLOW_TYPES } from './history-files';

function recorded(): { type: string; file: string; json: string }[] {
  return readdirSync(HISTORIES_DIR).flatMap((type) =>
    readdirSync(join(HISTORIES_DIR, type))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ type, file, json: readFileSync(join(HISTORIES_DIR, type, file), 'utf8') })),
  );
}

describe('workflow replay', () => {
  const histories = recorded();

  it('has recorded histories of every workflow type', () => {
    expect([...new Set(histories.map((h) => h.type))].sort()).toEqual([...WORKFLOW_TYPES]);
  });

  it('holds no secret in a recorded history', () => {
    for (const { json } of histories) {
      const decoded = json.replace(/"data": "([A-Za-z0-9+/=]*)"/g, (_, b64: string) =>
        Buffer.from(b64, 'base64').toString(),
      );
      expect(decoded).not.toMatch(/\$argon2|password"\s*:|"token"\s*:|secret"\s*:/i);
    }
  });

  it('replays every recorded history against the current workflow code', { timeout: 120_000 }, async () => {
    const results = Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      histories.map(({ type, file, json }) => ({
        workflowId: `${type}/${file}`,
        history: historyFromJson(json),
      })),
    );
    const failures: string[] = [];
    for await (const result of results) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
