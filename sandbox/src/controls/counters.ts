/**
 * Request counters by method and route template (`GET /:projectKey/carts/:id`), with the
 * statuses answered. Benchmarks and tests count upstream calls with them.
 */

export interface RouteCount {
  count: number;
  statuses: Record<string, number>;
}

export interface CounterSnapshot {
  total: number;
  byRoute: Record<string, RouteCount>;
}

export class RequestCounters {
  private byRoute = new Map<string, RouteCount>();
  private total = 0;

  record(method: string, routeTemplate: string, status: number): void {
    const key = `${method.toUpperCase()} ${routeTemplate}`;
    let entry = this.byRoute.get(key);
    if (!entry) {
      entry = { count: 0, statuses: {} };
      this.byRoute.set(key, entry);
    }
    entry.count += 1;
    const statusKey = String(status);
    entry.statuses[statusKey] = (entry.statuses[statusKey] ?? 0) + 1;
    this.total += 1;
  }

  snapshot(): CounterSnapshot {
    const byRoute: Record<string, RouteCount> = {};
    for (const key of [...this.byRoute.keys()].sort()) {
      const entry = this.byRoute.get(key)!;
      byRoute[key] = { count: entry.count, statuses: { ...entry.statuses } };
    }
    return { total: this.total, byRoute };
  }

  reset(): void {
    this.byRoute.clear();
    this.total = 0;
  }
}
