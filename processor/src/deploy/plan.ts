/** One line of a deployment plan. */
export interface PlanItem {
  item: string;
  action: 'create' | 'update' | 'recreate' | 'delete' | 'disable' | 'unchanged' | 'skip';
  changes: string[];
  id?: string;
  error?: string;
}

export interface DeployReport {
  dryRun: boolean;
  items: PlanItem[];
  ok: boolean;
}

export function printReport(report: DeployReport, title: string): string {
  const lines = [`${title}${report.dryRun ? ' (dry run: nothing changed)' : ''}`];
  for (const item of report.items) {
    lines.push(
      `  ${item.action.padEnd(9)} ${item.item}${item.id ? ` (${item.id})` : ''}${item.changes.length ? `: ${item.changes.join('; ')}` : ''}${item.error ? ` — FAILED: ${item.error}` : ''}`,
    );
  }
  lines.push(report.ok ? 'done' : 'FAILED');
  return `${lines.join('\n')}\n`;
}
