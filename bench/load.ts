import autocannon, { type Request } from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  name: string;
  requests: number;
  connections: number;
  /** Status code → count, as the load generator saw them. */
  statuses: Record<string, number>;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  perSecond: number;
  /**
   * CPU time of this whole process (processor + load generator) per request: an upper bound of the
   * processor's own time per request, since the upstreams run in other processes.
   */
  cpuMsPerRequest: number;
  /**
   * CPU time of the processor's own process per request, when it runs apart from the load
   * generator (includes the webhooks the phase triggers that arrive meanwhile).
   */
  processorCpuMsPerRequest?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Sends exactly `amount` requests over `connections` keep-alive connections with autocannon; each
 * request is built by `next()` (autocannon asks for one more per connection than it sends, so
 * `next` must be able to give `amount + connections` requests).
 */
export async function load(
  name: string,
  baseUrl: string,
  options: { amount: number; connections: number; next: () => LoadRequest; processorCpuMs?: () => number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const template: Request = {
    setupRequest: () => {
      const r = options.next();
      return {
        method: r.method,
        path: r.path,
        headers: { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
        ...(r.body !== undefined ? { body: r.body } : {}),
      };
    },
  };
  const cpuBefore = process.cpuUsage();
  const processorBefore = options.processorCpuMs?.();
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: baseUrl,
    connections: options.connections,
    amount: options.amount,
    timeout: 30,
    requests: [template],
  });
  // autocannon notices that it is done only on its next one-second tick: the throughput is timed to
  // the last answer, or every phase would seem to last a whole number of seconds.
  let lastAnswer = started;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    lastAnswer = process.hrtime.bigint();
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  instance.on('reqError', () => (errors += 1));
  await instance;
  const elapsedMs = Number(lastAnswer - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const processorCpu = processorBefore === undefined ? undefined : options.processorCpuMs!() - processorBefore;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    name,
    requests: latencies.length,
    connections: options.connections,
    statuses,
    errors,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    perSecond: round((latencies.length / elapsedMs) * 1000),
    cpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)),
    ...(processorCpu === undefined
      ? {}
      : { processorCpuMsPerRequest: round(processorCpu / Math.max(1, latencies.length)) }),
  };
}

/** Runs `task` over `items` with at most `limit` at a time (setup work, not measured). */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let cursor = 0;
  const worker = async () => {
    while (cursor < items.length) {
      const i = cursor++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
