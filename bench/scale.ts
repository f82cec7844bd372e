import Stripe from 'stripe';
import { browserConfirm, counters, resetCounters, stripeFor } from '../processor/testing/stripe';
import { quiesce } from '../processor/testing/wired';
import { call, checkout, startWorld, type World } from '../processor/testing/world';
import { measured, paidCheckouts, type Paid, type PhaseResult } from './phases';
import { processCpuMs, processRssMb, startSpawnedProcessor, type BenchProcessor } from './spawned';
import { isBrowserRoute } from './upstream';

/** What one guest checkout costs, from the shopper's first call until its webhooks are handled. */
export interface CheckoutCost {
  /** Processor wall time of the four browser-facing calls (config, element config, payment, confirm). */
  shopperMs: number;
  /** Processor wall time of the webhook requests the checkout caused (the order is made there). */
  webhooksMs: number;
  totalMs: number;
  processorCpuMs: number;
  /** The sandbox process (commercetools and Stripe emulators). */
  sandboxCpuMs: number;
  upstream: { commercetools: number; stripe: number };
}

export interface ScaleResult {
  /** Checkouts in the store when the late sample was measured, and how many of them were copies. */
  checkouts: number;
  seeded: number;
  seedMs: number;
  /** Resident memory of the sandbox process after the first sample and after the late one. */
  sandboxRssMb: [number, number];
  sample: number;
  /** Which checkouts of the sandbox were measured (1-based, inclusive): after a warm-up, and at the end. */
  firstCheckouts: [number, number];
  lateCheckouts: [number, number];
  /** Medians of `sample` checkouts on a nearly empty store, and after `checkouts` checkouts. */
  first: CheckoutCost;
  late: CheckoutCost;
  /** late / first, per figure. */
  ratio: { totalMs: number; processorCpuMs: number; sandboxCpuMs: number; upstream: number };
  /** One event per paid checkout, replayed to a processor that never saw them: each needs the order lookup. */
  coldWebhooks: {
    first: ColdWebhooks;
    late: ColdWebhooks;
    /** Checkouts in the store at each. */ checkouts: [number, number];
  };
}

/** The sandbox's CPU per event as well: the throughput of a one-second run varies by tens of percent. */
export type ColdWebhooks = PhaseResult & { sandboxCpuMsPerRequest: number };

export interface ScaleSettings {
  checkouts: number;
  sample: number;
  events: number;
  connections: number;
}

const WARM_UP = 20;
const WARM_UP_EVENTS = 50;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function oneCheckout(
  world: World,
  p: BenchProcessor,
  sandboxCpu: () => number,
): Promise<CheckoutCost & { cartId: string }> {
  const { sessionId, cartId } = await checkout(world);
  await quiesce(world, 60000);
  await resetCounters(world);
  p.logs.length = 0;
  const cpu = [p.cpuMs!(), sandboxCpu()] as const;
  let shopperMs = 0;
  const timed = async <T>(task: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await task();
    shopperMs += performance.now() - started;
    return result;
  };
  const expect200 = <T extends { status: number; body: unknown }>(what: string, res: T): T => {
    if (res.status !== 200) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  expect200('config', await timed(() => call(`${p.url}/operations/config`, { session: sessionId })));
  expect200('element config', await timed(() => call(`${p.url}/config-element/payment`, { session: sessionId })));
  const created = expect200('payment', await timed(() => call(`${p.url}/payments`, { session: sessionId, json: {} })));
  const confirmed = await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  if (confirmed instanceof Error) throw confirmed;
  const ref = created.body.paymentReference as string;
  const outcome = await timed(() => call(`${p.url}/confirmPayments/${ref}`, { session: sessionId, json: {} }));
  if (expect200('confirm', outcome).body.outcome !== 'approved') throw new Error('checkout not approved');
  await quiesce(world, 60000);
  const [processorCpuMs, sandboxCpuMs] = [p.cpuMs!() - cpu[0], sandboxCpu() - cpu[1]];
  const [ct, stripe] = await Promise.all([counters(world, 'commercetools'), counters(world, 'stripe')]);
  const sum = (byRoute: Record<string, { count: number }>) =>
    Object.entries(byRoute).reduce((n, [route, { count }]) => (isBrowserRoute(route) ? n : n + count), 0);
  const webhooksMs = p.logs
    .map((line) => JSON.parse(line) as { url?: string; responseTimeMs?: number })
    .filter((entry) => entry.url === '/stripe/webhooks')
    .reduce((ms, entry) => ms + (entry.responseTimeMs ?? 0), 0);
  await expectOneOrder(world, cartId);
  return {
    cartId,
    shopperMs,
    webhooksMs,
    totalMs: shopperMs + webhooksMs,
    processorCpuMs,
    sandboxCpuMs,
    upstream: { commercetools: sum(ct.byRoute), stripe: sum(stripe.byRoute) },
  };
}

const tokens = new Map<string, Promise<string>>();

/** Asked as the sandbox itself (not counted), after the checkout's figures were taken. */
async function expectOneOrder(world: World, cartId: string): Promise<void> {
  const base = world.sandbox.info.commercetools;
  if (!tokens.has(base)) {
    tokens.set(
      base,
      call(`${base}/_sandbox/tokens`, { json: {} }).then((res) => res.body.access_token as string),
    );
  }
  const res = await call(`${base}/sandbox/orders?where=${encodeURIComponent(`cart(id="${cartId}")`)}`, {
    headers: { authorization: `Bearer ${await tokens.get(base)!}`, 'x-sandbox-internal': '1' },
  });
  if (res.body?.count !== 1) throw new Error(`expected one order of cart ${cartId}, found ${JSON.stringify(res.body)}`);
}

/** Wall times and upstream requests: medians; CPU: the sample's total over its size (/proc counts 10 ms ticks). */
async function sampleOf(world: World, p: BenchProcessor, n: number, sandboxCpu: () => number) {
  const costs: (CheckoutCost & { cartId: string })[] = [];
  for (let i = 0; i < n; i++) costs.push(await oneCheckout(world, p, sandboxCpu));
  const m = (f: (c: CheckoutCost) => number) => round(median(costs.map(f)));
  const mean = (f: (c: CheckoutCost) => number) => round(costs.reduce((sum, c) => sum + f(c), 0) / n);
  const cost: CheckoutCost = {
    shopperMs: m((c) => c.shopperMs),
    webhooksMs: m((c) => c.webhooksMs),
    totalMs: m((c) => c.totalMs),
    processorCpuMs: mean((c) => c.processorCpuMs),
    sandboxCpuMs: mean((c) => c.sandboxCpuMs),
    upstream: { commercetools: m((c) => c.upstream.commercetools), stripe: m((c) => c.upstream.stripe) },
  };
  return { cost, lastCartId: costs.at(-1)!.cartId };
}

/** Each paid checkout's `payment_intent.succeeded`, signed for `p` and sent once: a cold processor's work. */
async function coldWebhooks(
  world: World,
  paid: Paid[],
  connections: number,
  sandboxCpu: () => number,
): Promise<ColdWebhooks> {
  const p = await startSpawnedProcessor(world);
  try {
    const ours = new Set(paid.map((c) => c.paymentIntentId));
    const events: Stripe.Event[] = [];
    for await (const event of stripeFor(world).events.list({ limit: 100, type: 'payment_intent.succeeded' })) {
      if (ours.has((event.data.object as { id: string }).id)) events.push(event);
    }
    if (events.length <= WARM_UP_EVENTS + connections)
      throw new Error(`only ${events.length} events of the paid checkouts`);
    const secret = p.endpoint.secret!;
    const signed = (event: Stripe.Event) => {
      const payload = JSON.stringify(event);
      return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
    };
    // A fresh process compiles its code and gets its tokens on its first requests: not measured.
    for (const event of events.splice(0, WARM_UP_EVENTS)) {
      const { payload, signature } = signed(event);
      const res = await call(`${p.url}/stripe/webhooks`, { raw: payload, headers: { 'stripe-signature': signature } });
      if (res.status !== 200) throw new Error(`warm-up webhook answered ${res.status}`);
    }
    let i = 0;
    const next = () => {
      const { payload, signature } = signed(events[i++]!);
      return {
        method: 'POST' as const,
        path: '/stripe/webhooks',
        headers: { 'stripe-signature': signature },
        body: payload,
      };
    };
    const before = sandboxCpu();
    const result = await measured(
      world,
      p,
      'POST /stripe/webhooks (cold processor)',
      { amount: events.length - connections, connections },
      next,
    );
    return { ...result, sandboxCpuMsPerRequest: round((sandboxCpu() - before) / result.requests, 2) };
  } finally {
    await p.close();
  }
}

/**
 * The cost of a checkout as the store grows: a sample of checkouts through the processor on a
 * fresh sandbox, then the store filled to `checkouts` checkouts with copies of the last one
 * (`/_sandbox/carts/:id/replicate`: its cart, payment with transactions and interface id, and
 * order), then the same sample again. Cold webhooks are measured at both sizes.
 */
export async function benchScale(settings: ScaleSettings, log: (message: string) => void): Promise<ScaleResult> {
  const world = await startWorld();
  const sandboxPid = world.sandbox.process.pid!;
  const sandboxCpu = () => processCpuMs(sandboxPid);
  const p = await startSpawnedProcessor(world);
  try {
    let done = 0;
    for (let i = 0; i < WARM_UP; i++, done++) await oneCheckout(world, p, sandboxCpu);
    log(`scale: ${settings.sample} checkouts on a fresh sandbox`);
    const first = await sampleOf(world, p, settings.sample, sandboxCpu);
    const rssFirst = processRssMb(sandboxPid);
    done += settings.sample;
    log(`scale: ${settings.events} paid checkouts, their events to a cold processor`);
    const paidFirst = await paidCheckouts(world, p, settings.events);
    done += settings.events;
    await quiesce(world, 120000);
    const coldFirst = await coldWebhooks(world, paidFirst, settings.connections, sandboxCpu);

    const seeded = Math.max(0, settings.checkouts - done - settings.sample);
    const template = first.lastCartId;
    log(`scale: seeding ${seeded} checkouts (copies of a finished one)`);
    const seed = await call(`${world.sandbox.info.commercetools}/_sandbox/carts/${template}/replicate`, {
      json: { count: seeded },
    });
    if (seed.status !== 201) throw new Error(`seeding answered ${seed.status}: ${JSON.stringify(seed.body)}`);
    done += seeded;

    log(`scale: ${settings.sample} checkouts after ${done} checkouts`);
    const late = await sampleOf(world, p, settings.sample, sandboxCpu);
    const rssLate = processRssMb(sandboxPid);
    log(`scale: ${settings.events} more paid checkouts, their events to a cold processor`);
    const paidLate = await paidCheckouts(world, p, settings.events);
    await quiesce(world, 600000);
    const coldLate = await coldWebhooks(world, paidLate, settings.connections, sandboxCpu);

    const ratio = (a: number, b: number) => round(b / Math.max(a, 0.001), 2);
    const upstream = (c: CheckoutCost) => c.upstream.commercetools + c.upstream.stripe;
    return {
      checkouts: done + settings.sample,
      seeded,
      seedMs: (seed.body as { ms: number }).ms,
      sandboxRssMb: [rssFirst, rssLate],
      sample: settings.sample,
      firstCheckouts: [WARM_UP + 1, WARM_UP + settings.sample],
      lateCheckouts: [done + 1, done + settings.sample],
      first: first.cost,
      late: late.cost,
      ratio: {
        totalMs: ratio(first.cost.totalMs, late.cost.totalMs),
        processorCpuMs: ratio(first.cost.processorCpuMs, late.cost.processorCpuMs),
        sandboxCpuMs: ratio(first.cost.sandboxCpuMs, late.cost.sandboxCpuMs),
        upstream: ratio(upstream(first.cost), upstream(late.cost)),
      },
      coldWebhooks: {
        first: coldFirst,
        late: coldLate,
        checkouts: [WARM_UP + settings.sample + settings.events, done + settings.sample + settings.events],
      },
    };
  } finally {
    await p.close();
    await world.stop();
  }
}
