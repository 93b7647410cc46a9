// Summarises a `node --cpu-prof` profile over a time window: self time by package or project file.
import { readFileSync } from 'node:fs';
import { ROOT } from '../../scripts/services';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Monotonic microseconds, the clock V8 stamps profile samples with (CLOCK_MONOTONIC on Linux). */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function bucketOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName ? `(${functionName})` : '(native)';
  const path = decodeURIComponent(url.replace(/^file:\/\//, ''));
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  if (path.startsWith('node:')) return path;
  return path.startsWith(ROOT) ? path.slice(ROOT.length + 1) : path;
}

export interface ProfileSummary {
  file: string;
  sampledMs: number;
  top: { where: string; selfMs: number; share: number }[];
  topFunctions: { fn: string; selfMs: number }[];
}

/** Self time per bucket for the samples taken between `fromMicros` and `toMicros`. */
export function summariseProfile(
  file: string,
  fromMicros: number,
  toMicros: number,
  top = 12,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < fromMicros || t > toMicros) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const bucket = bucketOf(node);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + delta);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${bucket}`;
    functions.set(fn, (functions.get(fn) ?? 0) + delta);
    total += delta;
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    file,
    sampledMs: ms(total),
    top: [...buckets.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, us]) => ({
        where,
        selfMs: ms(us),
        share: Math.round((us / Math.max(1, total)) * 1000) / 1000,
      })),
    topFunctions: [...functions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, selfMs: ms(us) })),
  };
}
