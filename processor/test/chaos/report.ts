import type { ChaosReport } from './chaos';
import { FAULT_CLASSES, type FaultClass } from './faults';
import { INVARIANTS, type Invariant } from './invariants';

const rows = (map: Record<string, number>, label: (k: string) => string = (k) => k) =>
  Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `  ${String(v).padStart(6)}  ${label(k)}`);

/** Violations of one invariant grouped by the shape of their reason (ids and amounts left out). */
function kinds(list: ChaosReport['violations']): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of list) {
    const kind = v.reason
      .replace(/\b(pi|re|txn|ch|dp|pm|cus)_[A-Za-z0-9]+/g, '…')
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '…')
      .replace(/#?\d+/g, 'N')
      .slice(0, 140);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/** The run in a form a person reads: faults, outcomes, violations with examples, how to replay. */
export function printChaos(report: ChaosReport, examples = 5): string {
  const o = report.options;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `chaos run: ${o.checkouts} checkouts, ${o.replicas} replicas, concurrency ${o.concurrency}, seed ${o.seed}: ${seconds(report.durationMs)}`,
    `  phases: ${Object.entries(report.phasesMs)
      .map(([k, v]) => `${k} ${seconds(v)}`)
      .join(', ')}`,
    `  replica starts: ${report.replicaStartsMs.map((ms) => seconds(ms)).join(', ')}`,
    'faults injected (per class):',
    ...rows(report.faults, (k) => FAULT_CLASSES[k as FaultClass] ?? k),
    ...(report.missingClasses.length
      ? [`  missing classes: ${report.missingClasses.map((k) => FAULT_CLASSES[k]).join('; ')}`]
      : []),
    'outcomes:',
    ...rows(report.outcomes),
    'webhook deliveries through the proxy (per replica and status):',
    ...Object.entries(report.webhooks).map(
      ([replica, statuses]) =>
        `  ${replica}: ${Object.entries(statuses)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    ),
    `reconcile (exit ${report.reconcile.code}): ${report.reconcile.summary}`,
    `log lines scanned: ${report.logLines}`,
    `violations: ${report.violations.length}`,
  ];
  for (const key of Object.keys(INVARIANTS) as Invariant[]) {
    const list = report.violations.filter((v) => v.invariant === key);
    lines.push(`  ${String(list.length).padStart(6)}  ${INVARIANTS[key]}`);
    for (const [kind, n] of kinds(list)) lines.push(`            ${String(n).padStart(5)} × ${kind}`);
    for (const v of list.slice(0, examples)) lines.push(`            - ${v.subject}: ${v.reason}`);
    if (list.length > examples) lines.push(`            … and ${list.length - examples} more`);
  }
  if (report.errors.length > 0) {
    lines.push(`run errors (the driver's, not verdicts): ${report.errors.length}`);
    for (const e of report.errors.slice(0, examples)) lines.push(`  - ${e}`);
  }
  lines.push(`replay: ${report.command}`, '');
  return lines.join('\n');
}
