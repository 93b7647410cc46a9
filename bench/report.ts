// Shapes the phases' raw results into latest.json (the figures of issue 12 with their ratios and goals) and
// renders the table printed at the end and kept in bench/results/latest.md.

type Json = Record<string, any>;

function ok(value: unknown): Json | null {
  return value && typeof value === 'object' && !('error' in value) ? (value as Json) : null;
}

function ratio(a: number | null | undefined, b: number | null | undefined, digits = 3): number | null {
  if (a == null || b == null || b === 0) return null;
  return Math.round((a / b) * 10 ** digits) / 10 ** digits;
}

function goal(value: number | null, text: string, met: (v: number) => boolean) {
  return { value, goal: text, met: value === null ? null : met(value) };
}

function ceilingFigure(raw: unknown) {
  const c = ok(raw);
  if (!c) return raw ?? null;
  return { ...c.many, oneClient: c.one };
}

export function buildResults(raw: Json, meta: Json): Json {
  const transfers = ok(raw.transfers);
  const transfersC1 = ok(raw.transfersC1);
  const empty = ok(raw.emptyWorkflowCeiling);
  const ledger = ok(raw.ledgerPosting);
  const pgbench = ok(raw.pgbenchTpcb);
  const hot = ok(raw.hotWallet);
  const onboarding = ok(raw.onboarding);
  const flows = ok(raw.flowsRead);
  const emptyMany = empty?.many?.perSecond as number | undefined;
  const flowsP99 =
    flows && flows.firstPage.p99Ms != null && flows.deep.p99Ms != null
      ? Math.max(flows.firstPage.p99Ms, flows.deep.p99Ms)
      : null;
  return {
    ...meta,
    transfers: raw.transfers ?? null,
    transfersC1: raw.transfersC1 ?? null,
    emptyWorkflowCeiling: ceilingFigure(raw.emptyWorkflowCeiling),
    sagaShapeCeiling: ceilingFigure(raw.sagaShapeCeiling),
    ratioToEmptyWorkflow: {
      throughput: goal(ratio(transfers?.perSecond, emptyMany), '>= 0.7', (v) => v >= 0.7),
      oneClientP50: goal(ratio(transfersC1?.p50Ms, empty?.one?.p50Ms, 2), '<= 2', (v) => v <= 2),
    },
    ledgerPosting: raw.ledgerPosting ?? null,
    pgbenchTpcb: raw.pgbenchTpcb ?? null,
    ratioToPgbench: goal(ratio(ledger?.postingsPerSecond, pgbench?.tps), '>= 0.5', (v) => v >= 0.5),
    hotWallet: raw.hotWallet
      ? {
          ...(raw.hotWallet as Json),
          ratioToSpread: goal(ratio(hot?.perSecond, transfers?.perSecond), '>= 0.3', (v) => v >= 0.3),
        }
      : null,
    onboarding: raw.onboarding
      ? {
          ...(raw.onboarding as Json),
          batch10k: raw.onboarding10k
            ? { attempted: true, ...(raw.onboarding10k as Json) }
            : { attempted: false },
        }
      : null,
    ratioOnboardingToEmptyWorkflow: goal(
      ratio(onboarding?.rowsPerSecond, emptyMany),
      '>= 1.0',
      (v) => v >= 1,
    ),
    flowsRead: flows
      ? { ...flows, goal: goal(flowsP99, 'p99 < 20 ms (both pages)', (v) => v < 20) }
      : (raw.flowsRead ?? null),
    login: raw.login ?? null,
    profiles: raw.profiles ?? null,
  };
}

const fmt = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
const met = (g: Json | undefined) => (g?.met === true ? 'met' : g?.met === false ? 'NOT met' : '-');

export function printTable(r: Json): string {
  const rows: string[][] = [];
  const load = (name: string, f: Json | null, unit = '/s') =>
    rows.push([
      name,
      f?.error ? `error: ${String(f.error).slice(0, 60)}` : `${fmt(f?.perSecond)}${unit}`,
      fmt(f?.p50Ms),
      fmt(f?.p99Ms),
      '',
      '',
    ]);
  load(`transfers (${fmt(r.transfers?.clients)} clients)`, r.transfers);
  load('transfersC1 (1 client)', r.transfersC1);
  load(`emptyWorkflowCeiling (${fmt(r.emptyWorkflowCeiling?.clients)} clients)`, r.emptyWorkflowCeiling);
  load('emptyWorkflowCeiling (1 client)', r.emptyWorkflowCeiling?.oneClient ?? null);
  load(`sagaShapeCeiling (${fmt(r.sagaShapeCeiling?.clients)} clients)`, r.sagaShapeCeiling);
  load('sagaShapeCeiling (1 client)', r.sagaShapeCeiling?.oneClient ?? null);
  const g = (name: string, x: Json | undefined) =>
    rows.push([name, fmt(x?.value), '', '', x?.goal ?? '', met(x)]);
  g('ratioToEmptyWorkflow (throughput)', r.ratioToEmptyWorkflow?.throughput);
  g('ratioToEmptyWorkflow (1-client p50)', r.ratioToEmptyWorkflow?.oneClientP50);
  rows.push([
    `ledgerPosting (${fmt(r.ledgerPosting?.clients)} clients)`,
    r.ledgerPosting?.error
      ? `error: ${r.ledgerPosting.error}`
      : `${fmt(r.ledgerPosting?.postingsPerSecond)} postings/s`,
    fmt(r.ledgerPosting?.p50Ms),
    fmt(r.ledgerPosting?.p99Ms),
    'hold+post',
    '',
  ]);
  rows.push([
    `pgbenchTpcb (${fmt(r.pgbenchTpcb?.clients)} clients)`,
    r.pgbenchTpcb?.tps == null
      ? `null: ${fmt(r.pgbenchTpcb?.reason ?? r.pgbenchTpcb?.error)}`
      : `${r.pgbenchTpcb.tps} tps`,
    fmt(r.pgbenchTpcb?.p50Ms),
    fmt(r.pgbenchTpcb?.p99Ms),
    '',
    '',
  ]);
  g('ratioToPgbench', r.ratioToPgbench);
  load('hotWallet (one source wallet)', r.hotWallet);
  g('hotWallet ÷ spread', r.hotWallet?.ratioToSpread);
  const o = r.onboarding;
  rows.push([
    `onboarding (${fmt(o?.rows)} rows)`,
    o?.error
      ? `error: ${o.error}`
      : `${fmt(o?.rowsPerSecond)} rows/s (${fmt(o?.seconds)} s, ${fmt(o?.succeeded)} ok)`,
    '',
    '',
    `max history ${fmt(o?.maxHistoryLength)}, worker peak RSS ${fmt(o?.workerPeakRssMiB)} MiB`,
    '',
  ]);
  const b = o?.batch10k;
  rows.push([
    'onboarding 10,000 rows',
    b?.attempted ? `${fmt(b.rowsPerSecond)} rows/s (${fmt(b.seconds)} s, ${fmt(b.status)})` : 'not attempted',
    '',
    '',
    b?.attempted
      ? `max history ${fmt(b.maxHistoryLength)}, worker peak RSS ${fmt(b.workerPeakRssMiB)} MiB`
      : '',
    b?.attempted
      ? b.maxHistoryLength < 10_000 && b.workerPeakRssMiB < 1024 && b.status === 'COMPLETED'
        ? 'met'
        : 'NOT met'
      : '-',
  ]);
  g('ratioOnboardingToEmptyWorkflow', r.ratioOnboardingToEmptyWorkflow);
  const f = r.flowsRead;
  rows.push([
    `flowsRead first page (${fmt(f?.entries)} entries)`,
    f?.error ? `error: ${f.error}` : `${fmt(f?.firstPage?.reads)} reads`,
    fmt(f?.firstPage?.p50Ms),
    fmt(f?.firstPage?.p99Ms),
    '< 20 ms p99',
    '',
  ]);
  rows.push([
    `flowsRead ${fmt(f?.deepPage)} pages deep`,
    `${fmt(f?.deep?.reads)} reads`,
    fmt(f?.deep?.p50Ms),
    fmt(f?.deep?.p99Ms),
    '< 20 ms p99',
    met(f?.goal),
  ]);
  rows.push([
    `login (${fmt(r.login?.clients)} clients)`,
    r.login?.error
      ? `error: ${r.login.error}`
      : `${fmt(r.login?.perSecond)}/s, ${fmt(r.login?.perCore)}/s per API core`,
    fmt(r.login?.p50Ms),
    fmt(r.login?.p99Ms),
    'reported',
    '',
  ]);
  const header = ['figure', 'value', 'p50 ms', 'p99 ms', 'goal / note', 'status'];
  const lines = [header, header.map(() => '---'), ...rows].map((cols) => `| ${cols.join(' | ')} |`);
  return [
    `${r.mode} run ${r.takenAt} (commit ${fmt(r.commit)}, ${r.machine?.cores} cores, shared)`,
    '',
    ...lines,
  ].join('\n');
}
