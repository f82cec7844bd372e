import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripeFor } from '../processor/testing/stripe';
import { startWiredProcessor } from '../processor/testing/wired';
import { startWorld, type World } from '../processor/testing/world';
import {
  benchCapture,
  benchCheckoutCpu,
  benchConfirmPayment,
  benchCreatePayment,
  benchOrderWebhooks,
  benchWebhooks,
} from './phases';
import { type BenchReport, routes, table } from './report';
import { benchScale } from './scale';
import { type BenchProcessor, startSpawnedProcessor } from './spawned';
import { buildWorkspace, enablerBundle, measureStartup, ROOT } from './startup';
import { checkoutWallTime, countCheckout } from './upstream';

const CONNECTIONS = 10;
const AMOUNT = 200;
const WEBHOOK_EVENTS = 1000;
/** Checkouts one after the other whose processor CPU is measured (after 60 unmeasured ones: a running service has compiled its hot paths). */
const CPU_CHECKOUTS = 40;

/** A whole number from the environment, or `fallback`. */
function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

/** The scale phase: checkouts in the store at the late sample (0 skips it), sample size, cold webhook events. */
const SCALE = {
  checkouts: envCount('BENCH_SCALE_CHECKOUTS', 10_000),
  sample: envCount('BENCH_SCALE_SAMPLE', 20),
  events: envCount('BENCH_SCALE_EVENTS', 250),
  connections: CONNECTIONS,
};

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

/**
 * One wired processor at a time: the emulator delivers every event to every registered endpoint,
 * so a second processor would process (and create orders for) the first one's payments.
 */
async function withProcessor<T>(
  world: World,
  overrides: Record<string, string>,
  task: (p: Awaited<ReturnType<typeof startWiredProcessor>>) => Promise<T>,
): Promise<T> {
  const p = await startWiredProcessor(world, overrides);
  try {
    return await task(p);
  } finally {
    await stripeFor(world).webhookEndpoints.del(p.endpoint.id);
    await p.close();
  }
}

async function withSpawned<T>(
  world: World,
  overrides: Record<string, string>,
  task: (p: BenchProcessor) => Promise<T>,
): Promise<T> {
  const p = await startSpawnedProcessor(world, overrides);
  try {
    return await task(p);
  } finally {
    await p.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  log('building processor and enabler');
  buildWorkspace('processor');
  let buildError: string | undefined;
  try {
    buildWorkspace('enabler');
  } catch (error) {
    buildError = error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  const enabler = buildError ? { file: null, bytes: null, gzipBytes: null, buildError } : enablerBundle();

  log('starting sandbox and jwt-mock');
  // The emulator as npm start runs it: without the shape checks the tests turn on.
  const world = await startWorld({ SANDBOX_STRIPE_VALIDATE_SHAPES: '0' });
  try {
    const settings = { amount: AMOUNT, connections: CONNECTIONS };
    log('counting upstream requests per checkout');
    const withoutOrders = await withProcessor(world, { CREATE_ORDERS: 'false' }, (p) => countCheckout(world, p, false));
    const { withOrders, wallTime } = await withProcessor(world, {}, async (p) => {
      const withOrders = await countCheckout(world, p, true);
      log('checkout wall time with 20 ms upstreams');
      const wallTime = await checkoutWallTime(world, p, 20);
      return { withOrders, wallTime };
    });
    // Load runs against the built processor in its own process, started as `npm start` does, so
    // that its CPU time is measured apart from the load generator's.
    const { load, checkoutCpu, orderWebhooks } = await withSpawned(world, {}, async (p) => {
      log(`processor CPU of ${CPU_CHECKOUTS} checkouts, one after the other`);
      const checkoutCpu = await benchCheckoutCpu(world, p, CPU_CHECKOUTS);
      log(`POST /payments ×${AMOUNT}`);
      const create = await benchCreatePayment(world, p, settings);
      log(`POST /confirmPayments ×${AMOUNT}`);
      const { result: confirm, paid } = await benchConfirmPayment(world, p, settings);
      log(`POST /stripe/webhooks ×${WEBHOOK_EVENTS}`);
      const webhooks = await benchWebhooks(world, p, paid, { ...settings, amount: WEBHOOK_EVENTS });
      log(`order-creating payment_intent.succeeded ×${AMOUNT}`);
      const orderWebhooks = await benchOrderWebhooks(world, p, settings);
      return { load: [create, confirm, webhooks], checkoutCpu, orderWebhooks };
    });
    log(`capturePayment ×${AMOUNT}`);
    const capture = await withSpawned(world, { STRIPE_CAPTURE_METHOD: 'manual', CREATE_ORDERS: 'false' }, (p) =>
      benchCapture(world, p, settings),
    );
    load.splice(2, 0, capture);

    let scale: BenchReport['scale'];
    if (SCALE.checkouts > 0) {
      log(`cost of a checkout at ${SCALE.checkouts} checkouts (own sandbox)`);
      scale = await benchScale(SCALE, log);
    }

    log('processor start-up and idle memory');
    const startup = await measureStartup({
      ...world.env,
      STRIPE_WEBHOOK_SIGNING_SECRET: 'whsec_bench_signing_secret',
      LOG_LEVEL: 'info',
    });

    const cpus = os.cpus();
    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        node: process.version,
        platform: process.platform,
      },
      settings: {
        connections: CONNECTIONS,
        amount: AMOUNT,
        webhookEvents: WEBHOOK_EVENTS,
        scale: SCALE,
        ctIndexes: process.env.SANDBOX_CT_INDEXES !== 'false',
      },
      upstream: { withoutOrders, withOrders },
      wallTime,
      checkoutCpu,
      orderWebhooks,
      load,
      startup,
      enabler,
      ...(scale ? { scale } : {}),
    };
    const dir = path.join(ROOT, 'bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(
      [
        `npm run bench — ${report.date}, ${report.machine.cpus} × ${report.machine.cpuModel}, node ${report.machine.node}`,
        '',
        table(report),
        '',
        routes(withoutOrders),
        routes(withOrders),
        `wall time by call (+${wallTime.upstreamDelayMs} ms per upstream request, median of ${wallTime.runs}): ${JSON.stringify(wallTime.byCall)}`,
        `upstream requests of each counted checkout with order: ${withOrders.totals.join(', ')}; without: ${withoutOrders.totals.join(', ')}`,
        '',
        `figures written to bench-results/latest.json (${Math.round((Date.now() - started) / 1000)} s)`,
        '',
      ].join('\n'),
    );
  } finally {
    await world.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
