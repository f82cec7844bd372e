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

/** Told as each step happens, so that an operator sees what is being waited on. */
export interface StepEvents {
  start?(item: string): void;
  done?(item: PlanItem): void;
}

export function formatItem(item: PlanItem): string {
  return `  ${item.action.padEnd(9)} ${item.item}${item.id ? ` (${item.id})` : ''}${item.changes.length ? `: ${item.changes.join('; ')}` : ''}${item.error ? ` — FAILED: ${item.error}` : ''}`;
}

/**
 * Runs the steps of a deployment one after the other; a failing step fails the run but not the
 * steps after it.
 */
export class StepRunner {
  readonly items: PlanItem[] = [];

  constructor(private readonly events: StepEvents = {}) {}

  async step(item: string, run: () => Promise<PlanItem>): Promise<void> {
    this.events.start?.(item);
    this.record(await run().catch((error: unknown) => this.failed(item, error)));
  }

  record(item: PlanItem): void {
    this.items.push(item);
    this.events.done?.(item);
  }

  report(dryRun: boolean): DeployReport {
    return { dryRun, items: this.items, ok: this.items.every((i) => !i.error) };
  }

  private failed(item: string, error: unknown): PlanItem {
    return { item, action: 'skip', changes: [], error: error instanceof Error ? error.message : String(error) };
  }
}
