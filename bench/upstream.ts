import { browserConfirm, counters, resetCounters } from '../processor/testing/stripe';
import { ordersOfCart, quiesce } from '../processor/testing/wired';
import { call, checkout, type Processor, type World } from '../processor/testing/world';

export interface UpstreamCount {
  createOrders: boolean;
  commercetools: number;
  stripe: number;
  total: number;
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
 * Upstream requests of one checkout, counted by the sandbox. A first checkout warms the
 * processor (OAuth2 token, caches), so the counted one is the steady state of a running service.
 */
export async function countCheckout(world: World, p: Processor, createOrders: boolean): Promise<UpstreamCount> {
  await guestCheckout(world, p);
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
    orders,
    byRoute,
    bySteps: steps,
  };
}

export interface WallTime {
  upstreamDelayMs: number;
  /** Sum of the four browser-facing processor calls of one checkout. */
  totalMs: number;
  byCall: Record<string, number>;
}

/**
 * Processor wall time of one checkout when every commercetools and Stripe request takes
 * `delayMs` more (the sandbox's delay faults); webhooks run after the shopper is done and are
 * not part of it.
 */
export async function checkoutWallTime(world: World, p: Processor, delayMs = 20): Promise<WallTime> {
  await guestCheckout(world, p);
  const { sessionId } = await checkout(world);
  const bases = [world.sandbox.info.commercetools, world.sandbox.info.stripe];
  const byCall: Record<string, number> = {};
  const timed = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await task();
    byCall[name] = Math.round(performance.now() - started);
    return result;
  };
  for (const base of bases) {
    const res = await call(`${base}/_sandbox/faults`, { json: { method: '*', path: '/**', delayMs, times: 100000 } });
    expectStatus('delay fault', res, 201);
  }
  try {
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
  } finally {
    await Promise.all(bases.map((base) => fetch(`${base}/_sandbox/faults`, { method: 'DELETE' })));
  }
  await quiesce(world, 60000);
  const totalMs = Object.values(byCall).reduce((a, b) => a + b, 0);
  return { upstreamDelayMs: delayMs, totalMs, byCall };
}
