import type { Config } from '../config/load-config';
import { upstreamFailureOf, type UpstreamFailure, type UpstreamName } from '../upstream/failure';

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
 * steps after it. An upstream that did not answer (refused, timed out...) is not asked again by
 * later steps: each would only wait as long again for the same answer.
 */
export class StepRunner {
  readonly items: PlanItem[] = [];
  private readonly down = new Map<UpstreamName, UpstreamFailure>();

  constructor(
    private readonly config: Pick<Config, 'stripe' | 'commands'>,
    private readonly events: StepEvents = {},
  ) {}

  async step(item: string, needs: readonly UpstreamName[], run: () => Promise<PlanItem>): Promise<void> {
    this.events.start?.(item);
    const unavailable = needs.map((n) => this.down.get(n)).find(Boolean);
    this.record(
      unavailable
        ? { item, action: 'skip', changes: [], error: `not tried: ${unavailable.message}` }
        : await run().catch((error: unknown) => this.failed(item, error)),
    );
  }

  record(item: PlanItem): void {
    this.items.push(item);
    this.events.done?.(item);
  }

  report(dryRun: boolean): DeployReport {
    return { dryRun, items: this.items, ok: this.items.every((i) => !i.error) };
  }

  private failed(item: string, error: unknown): PlanItem {
    const failure = upstreamFailureOf(error, this.config);
    if (failure) this.down.set(failure.upstream, failure);
    const message = failure?.message ?? (error instanceof Error ? error.message : String(error));
    return { item, action: 'skip', changes: [], error: message };
  }
}
