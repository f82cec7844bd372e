import { browserConfirm, counters, resetCounters } from '../processor/testing/stripe';
import { ordersOfCart, quiesce } from '../processor/testing/wired';
import { call, checkout, type Processor, type World } from '../processor/testing/world';

export interface UpstreamCount {
  createOrders: boolean;
  commercetools: number;
  stripe: number;
  total: number;
  /** The total of each counted checkout. */
  totals: number[];
  orders: number;
  byRoute: { commercetools: Record<string, number>; stripe: Record<string, number> };
  /** Processor upstream requests made during each step of the checkout. */
  bySteps: Record<string, { commercetools: number; stripe: number }>;
}

type Step = { commercetools: number; stripe: number };

/** What the browser itself sends to Stripe (Stripe.js): not the processor's upstream traffic. */
export const isBrowserRoute = (route: string) =>
  route === 'POST /v1/payment_intents/:id/confirm' || / \/v3(\/|$)/.test(route);

const expectStatus = (what: string, res: { status: number; body: unknown }, ok = 200) => {
  if (res.status !== ok) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
};

/** One guest card checkout, from the enabler's first call to the order (when orders are created). */
export async function guestCheckout(
  world: World,
  p: Processor,
): Promise<{ cartId: string; outcome: string; steps: Record<string, Step> }> {
  const { sessionId, cartId } = await checkout(world);
  await resetCounters(world);
  const steps: Record<string, Step> = {};
  let seen: Step = { commercetools: 0, stripe: 0 };
  const step = async (name: string) => {
    const now = await processorCounts(world);
    steps[name] = { commercetools: now.commercetools - seen.commercetools, stripe: now.stripe - seen.stripe };
    seen = now;
  };
  expectStatus('GET /operations/config', await call(`${p.url}/operations/config`, { session: sessionId }));
  await step('GET /operations/config');
  expectStatus('GET /config-element/payment', await call(`${p.url}/config-element/payment`, { session: sessionId }));
  await step('GET /config-element/payment');
  const created = await call(`${p.url}/payments`, { session: sessionId, json: {} });
  expectStatus('POST /payments', created);
  await step('POST /payments');
  const confirmed = await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  if (confirmed instanceof Error) throw confirmed;
  // Webhooks may already arrive here; they are counted under "webhooks".
  await step('browser confirm (webhooks racing)');
  const outcome = await call(`${p.url}/confirmPayments/${created.body.paymentReference}`, {
    session: sessionId,
    json: {},
  });
  expectStatus('POST /confirmPayments', outcome);
  await step('POST /confirmPayments (webhooks racing)');
  await quiesce(world);
  await step('webhooks until quiet');
  return { cartId, outcome: outcome.body.outcome, steps };
}

async function processorCounts(world: World): Promise<Step> {
  const [ct, stripe] = await Promise.all([counters(world, 'commercetools'), counters(world, 'stripe')]);
  const sum = (byRoute: Record<string, { count: number }>) =>
    Object.entries(byRoute).reduce((n, [route, { count }]) => (isBrowserRoute(route) ? n : n + count), 0);
  return { commercetools: sum(ct.byRoute), stripe: sum(stripe.byRoute) };
}

const flatten = (byRoute: Record<string, { count: number }>, skip: (route: string) => boolean) =>
  Object.fromEntries(
    Object.entries(byRoute)
      .filter(([route]) => !skip(route))
      .map(([route, { count }]) => [route, count] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  );

/**
 * Upstream requests of a checkout, counted by the sandbox. A first checkout warms the processor
 * (OAuth2 token, caches), so the counted ones are the steady state of a running service. Which of
 * the confirmation and its webhooks comes first varies: `runs` checkouts are counted, the figure
 * is the largest, with its routes and steps.
 */
export async function countCheckout(
  world: World,
  p: Processor,
  createOrders: boolean,
  runs = 5,
): Promise<UpstreamCount> {
  await guestCheckout(world, p);
  let largest: UpstreamCount | undefined;
  const totals: number[] = [];
  for (let i = 0; i < runs; i++) {
    const counted = await countOne(world, p, createOrders);
    totals.push(counted.total);
    if (!largest || counted.total >= largest.total) largest = counted;
  }
  return { ...largest!, totals };
}

async function countOne(world: World, p: Processor, createOrders: boolean): Promise<UpstreamCount> {
  const { cartId, outcome, steps } = await guestCheckout(world, p);
  if (outcome !== 'approved') throw new Error(`checkout outcome ${outcome}, expected approved`);
  const [ct, stripe] = await Promise.all([counters(world, 'commercetools'), counters(world, 'stripe')]);
  const orders = (await ordersOfCart(p, cartId)).length;
  if (createOrders && orders !== 1) throw new Error(`expected one order for cart ${cartId}, found ${orders}`);
  const byRoute = { commercetools: flatten(ct.byRoute, () => false), stripe: flatten(stripe.byRoute, isBrowserRoute) };
  const sum = (routes: Record<string, number>) => Object.values(routes).reduce((a, b) => a + b, 0);
  const commercetools = sum(byRoute.commercetools);
  const stripeCount = sum(byRoute.stripe);
  return {
    createOrders,
    commercetools,
    stripe: stripeCount,
    total: commercetools + stripeCount,
    totals: [commercetools + stripeCount],
    orders,
    byRoute,
    bySteps: steps,
  };
}

export interface WallTime {
  upstreamDelayMs: number;
  /** Checkouts timed; each figure is their median. */
  runs: number;
  /** Sum of the four browser-facing processor calls of one checkout. */
  totalMs: number;
  /** The shopper's wait after "Pay": `POST /payments` + `POST /confirmPayments`. */
  shopperWaitMs: number;
  /**
   * From the first call (config) until the processor logged the order's creation: the four calls,
   * the browser's confirmation at Stripe (one request, delayed too) and the webhooks that race the
   * confirmation.
   */
  sessionToOrderMs: number;
  byCall: Record<string, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** When the in-process processor logged the creation of the order of `cartId` (pino's epoch ms). */
function orderCreatedAt(p: Processor, cartId: string): number {
  for (const chunk of p.logs) {
    for (const line of chunk.split('\n')) {
      if (!line.includes('"order created"') || !line.includes(cartId)) continue;
      const entry = JSON.parse(line) as { msg?: string; cartId?: string; time?: number };
      if (entry.msg === 'order created' && entry.cartId === cartId && typeof entry.time === 'number') return entry.time;
    }
  }
  throw new Error(`the processor logged no order creation for cart ${cartId}`);
}

/**
 * Wall times of guest checkouts when every commercetools and Stripe request takes `delayMs` more
 * (the sandbox's delay faults), medians of `runs`: the processor's calls one by one, the shopper's
 * wait after "Pay", and the whole way from the session to the order (webhooks included).
 */
export async function checkoutWallTime(world: World, p: Processor, delayMs = 20, runs = 5): Promise<WallTime> {
  await guestCheckout(world, p);
  const sessions = [];
  for (let i = 0; i < runs; i++) sessions.push(await checkout(world));
  const bases = [world.sandbox.info.commercetools, world.sandbox.info.stripe];
  for (const base of bases) {
    const res = await call(`${base}/_sandbox/faults`, { json: { method: '*', path: '/**', delayMs, times: 100000 } });
    expectStatus('delay fault', res, 201);
  }
  const samples: { byCall: Record<string, number>; sessionToOrderMs: number }[] = [];
  try {
    for (const { sessionId, cartId } of sessions) {
      const byCall: Record<string, number> = {};
      const timed = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        const result = await task();
        byCall[name] = performance.now() - started;
        return result;
      };
      const startedAt = Date.now();
      await timed('GET /operations/config', () => call(`${p.url}/operations/config`, { session: sessionId }));
      await timed('GET /config-element/payment', () => call(`${p.url}/config-element/payment`, { session: sessionId }));
      const created = await timed('POST /payments', () => call(`${p.url}/payments`, { session: sessionId, json: {} }));
      expectStatus('POST /payments', created);
      const confirmed = await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
      if (confirmed instanceof Error) throw confirmed;
      const outcome = await timed('POST /confirmPayments', () =>
        call(`${p.url}/confirmPayments/${created.body.paymentReference}`, { session: sessionId, json: {} }),
      );
      expectStatus('POST /confirmPayments', outcome);
      if (outcome.body.outcome !== 'approved') throw new Error(`checkout outcome ${outcome.body.outcome}`);
      await quiesce(world, 60000);
      samples.push({ byCall, sessionToOrderMs: orderCreatedAt(p, cartId) - startedAt });
    }
  } finally {
    await Promise.all(bases.map((base) => fetch(`${base}/_sandbox/faults`, { method: 'DELETE' })));
  }
  await quiesce(world, 60000);
  const byCall = Object.fromEntries(
    Object.keys(samples[0]!.byCall).map((name) => [name, Math.round(median(samples.map((s) => s.byCall[name]!)))]),
  );
  const sum = (s: (typeof samples)[number], names?: string[]) =>
    Object.entries(s.byCall)
      .filter(([name]) => !names || names.includes(name))
      .reduce((a, [, ms]) => a + ms, 0);
  return {
    upstreamDelayMs: delayMs,
    runs,
    totalMs: Math.round(median(samples.map((s) => sum(s)))),
    shopperWaitMs: Math.round(median(samples.map((s) => sum(s, ['POST /payments', 'POST /confirmPayments'])))),
    sessionToOrderMs: Math.round(median(samples.map((s) => s.sessionToOrderMs))),
    byCall,
  };
}
