import type { CheckoutCpu, PhaseResult } from './phases';
import type { ScaleResult } from './scale';
import type { BundleResult, StartupResult } from './startup';
import type { UpstreamCount, WallTime } from './upstream';

export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  settings: {
    connections: number;
    amount: number;
    webhookEvents: number;
    scale: { checkouts: number; sample: number; events: number };
    /** Whether the sandbox indexed its commercetools storage (SANDBOX_CT_INDEXES). */
    ctIndexes: boolean;
  };
  upstream: { withoutOrders: UpstreamCount; withOrders: UpstreamCount };
  wallTime: WallTime;
  checkoutCpu: CheckoutCpu;
  /** `payment_intent.succeeded` events that each create an order. */
  orderWebhooks: PhaseResult;
  load: PhaseResult[];
  startup: StartupResult;
  enabler: BundleResult & { buildError?: string };
  /** Absent when the phase is skipped (BENCH_SCALE_CHECKOUTS=0). */
  scale?: ScaleResult;
}

type Row = [figure: string, value: string, target: string, verdict: string];

const verdict = (ok: boolean | null) => (ok === null ? '' : ok ? 'PASS' : 'MISS');

export function rows(r: BenchReport): Row[] {
  const out: Row[] = [];
  for (const u of [r.upstream.withoutOrders, r.upstream.withOrders]) {
    const limit = u.createOrders ? 11 : 10;
    out.push([
      `upstream requests per guest checkout, ${u.createOrders ? 'with' : 'without'} order (largest of ${u.totals.length})`,
      `${u.total} (ct ${u.commercetools}, stripe ${u.stripe})`,
      `≤ ${limit}`,
      verdict(u.total <= limit),
    ]);
  }
  const w = r.wallTime;
  const delay = `+${w.upstreamDelayMs} ms per upstream request, median of ${w.runs}`;
  out.push([
    `checkout wall, session → order created, webhooks included (${delay})`,
    `${w.sessionToOrderMs} ms`,
    '≤ 220 ms',
    verdict(w.sessionToOrderMs <= 220),
  ]);
  out.push([
    `shopper's wait after "Pay": POST /payments + POST /confirmPayments (${delay})`,
    `${w.shopperWaitMs} ms`,
    '≤ 100 ms',
    verdict(w.shopperWaitMs <= 100),
  ]);
  out.push([`processor wall of the four shopper calls (${delay})`, `${w.totalMs} ms`, '', '']);
  const c = r.checkoutCpu;
  out.push([
    `processor CPU per checkout, webhooks included (own process, ${c.checkouts} one after the other)`,
    `${c.processorCpuMs} ms`,
    '≤ 15 ms',
    verdict(c.processorCpuMs <= 15),
  ]);
  const o = r.orderWebhooks;
  out.push([
    `processor CPU per order-creating webhook event (payment_intent.succeeded, n=${o.requests}, c=${o.connections})`,
    `${o.processorCpuMsPerRequest ?? o.cpuMsPerRequest} ms`,
    '≤ 1.5 ms',
    verdict((o.processorCpuMsPerRequest ?? o.cpuMsPerRequest) <= 1.5),
  ]);
  out.push([
    'order-creating webhook event latency p50/p95/p99, upstream per event (ct / stripe)',
    `${o.p50Ms} / ${o.p95Ms} / ${o.p99Ms} ms, ${o.upstreamPerRequest.commercetools} / ${o.upstreamPerRequest.stripe}`,
    '',
    '',
  ]);
  for (const l of r.load) {
    out.push([
      `${l.name} latency p50/p95/p99 (c=${l.connections}, n=${l.requests})`,
      `${l.p50Ms} / ${l.p95Ms} / ${l.p99Ms} ms`,
      '',
      '',
    ]);
    const webhook = l.name.startsWith('POST /stripe/webhooks');
    out.push([
      `${l.name} throughput`,
      `${l.perSecond} ${webhook ? 'events' : 'req'}/s`,
      webhook ? '≥ 200 events/s' : '',
      webhook ? verdict(l.perSecond >= 200) : '',
    ]);
    const own = l.processorCpuMsPerRequest;
    out.push(
      own === undefined
        ? [
            `${l.name} CPU per request (whole bench process)`,
            `${l.cpuMsPerRequest} ms`,
            '≤ 2 ms (processor own time)',
            verdict(l.cpuMsPerRequest <= 2),
          ]
        : [`${l.name} processor CPU per request (mean)`, `${own} ms`, '≤ 2 ms (own time)', verdict(own <= 2)],
    );
    out.push([
      `${l.name} upstream per request (ct / stripe)`,
      `${l.upstreamPerRequest.commercetools} / ${l.upstreamPerRequest.stripe}`,
      '',
      '',
    ]);
    const failed = Object.entries(l.statuses).filter(([s]) => !s.startsWith('2'));
    if (failed.length > 0 || l.errors > 0)
      out.push([
        `${l.name} non-2xx / errors`,
        `${JSON.stringify(Object.fromEntries(failed))} / ${l.errors}`,
        '0',
        'MISS',
      ]);
  }
  if (r.scale) out.push(...scaleRows(r.scale));
  out.push([
    'processor start (spawn → PROCESSOR_READY, median)',
    `${(r.startup.startMs / 1000).toFixed(2)} s`,
    '≤ 0.4 s',
    verdict(r.startup.startMs <= 400),
  ]);
  out.push([
    'processor idle RSS (after 2 s)',
    `${r.startup.idleRssMb} MB`,
    '≤ 75 MB',
    verdict(r.startup.idleRssMb <= 75),
  ]);
  const kb = r.enabler.gzipBytes === null ? null : r.enabler.gzipBytes / 1024;
  // The budget holds the whole enabler contract, express checkout (about 1.5 KB), its texts in six
  // languages (about 1.9 KB) and Stripe's own loader (about 1.4 KB); Stripe.js, loaded from
  // Stripe, is not counted.
  out.push([
    'enabler UMD, gzipped',
    kb === null ? `not built${r.enabler.buildError ? ' (build failed)' : ''}` : `${kb.toFixed(2)} KB`,
    '≤ 10 KB',
    verdict(kb === null ? null : kb <= 10),
  ]);
  return out;
}

export function table(r: BenchReport): string {
  const header: Row = ['figure', 'value', 'target', ''];
  const all = [header, ...rows(r)];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: Row) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const sep = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(header), sep, ...all.slice(1).map(line)].join('\n');
}

export function routes(u: UpstreamCount): string {
  const lines = [`checkout ${u.createOrders ? 'with' : 'without'} order creation, by route:`];
  for (const [service, byRoute] of Object.entries(u.byRoute))
    for (const [route, count] of Object.entries(byRoute))
      lines.push(`  ${service.padEnd(13)} ${String(count).padStart(3)}  ${route}`);
  lines.push('  by step (ct / stripe):');
  for (const [step, n] of Object.entries(u.bySteps)) lines.push(`    ${step}: ${n.commercetools} / ${n.stripe}`);
  return lines.join('\n');
}

const SCALE_LIMIT = 1.2;

export function scaleRows(s: ScaleResult): Row[] {
  const range = ([a, b]: [number, number]) => `${a.toLocaleString('en')}–${b.toLocaleString('en')}`;
  const at = `checkouts ${range(s.lateCheckouts)} vs ${range(s.firstCheckouts)}`;
  const pair = (a: number, b: number, unit: string, ratio: number) => `${b} ${unit} vs ${a} ${unit} (${ratio}×)`;
  const upstream = (c: ScaleResult['first']) => c.upstream.commercetools + c.upstream.stripe;
  const [coldFirst, coldLate] = [s.coldWebhooks.first, s.coldWebhooks.late];
  const cold = `${s.coldWebhooks.checkouts
    .map((n) => n.toLocaleString('en'))
    .reverse()
    .join(' vs ')} checkouts in the store`;
  const coldCpuRatio =
    Math.round((coldLate.sandboxCpuMsPerRequest / Math.max(coldFirst.sandboxCpuMsPerRequest, 0.01)) * 100) / 100;
  return [
    [
      `checkout wall time, ${at} (median; shopper calls + its webhooks)`,
      pair(s.first.totalMs, s.late.totalMs, 'ms', s.ratio.totalMs),
      `≤ ${SCALE_LIMIT}×`,
      verdict(s.ratio.totalMs <= SCALE_LIMIT),
    ],
    [
      `checkout processor CPU, ${at} (mean)`,
      pair(s.first.processorCpuMs, s.late.processorCpuMs, 'ms', s.ratio.processorCpuMs),
      `≤ ${SCALE_LIMIT}×`,
      verdict(s.ratio.processorCpuMs <= SCALE_LIMIT),
    ],
    [
      `checkout sandbox CPU (commercetools + Stripe emulators), ${at} (mean)`,
      pair(s.first.sandboxCpuMs, s.late.sandboxCpuMs, 'ms', s.ratio.sandboxCpuMs),
      `≤ ${SCALE_LIMIT}×`,
      verdict(s.ratio.sandboxCpuMs <= SCALE_LIMIT),
    ],
    [
      `checkout upstream requests, ${at}`,
      pair(upstream(s.first), upstream(s.late), 'requests', s.ratio.upstream),
      `≤ ${SCALE_LIMIT}×`,
      verdict(s.ratio.upstream <= SCALE_LIMIT),
    ],
    [
      `webhooks to a cold processor (an order lookup per event), ${cold}: throughput, p50`,
      `${coldLate.perSecond} vs ${coldFirst.perSecond} events/s, ${coldLate.p50Ms} vs ${coldFirst.p50Ms} ms`,
      '',
      '',
    ],
    [
      `webhooks to a cold processor, ${cold}: sandbox CPU per event`,
      `${coldLate.sandboxCpuMsPerRequest} vs ${coldFirst.sandboxCpuMsPerRequest} ms (${coldCpuRatio}×)`,
      `≤ ${SCALE_LIMIT}×`,
      verdict(coldCpuRatio <= SCALE_LIMIT),
    ],
    [
      `store filled to ${s.checkouts.toLocaleString('en')} checkouts (${s.seeded.toLocaleString('en')} copies)`,
      `${(s.seedMs / 1000).toFixed(1)} s; sandbox RSS ${s.sandboxRssMb[1]} MB (${s.sandboxRssMb[0]} MB before)`,
      '',
      '',
    ],
  ];
}
