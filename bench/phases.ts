import Stripe from 'stripe';
import { SNAPSHOT_TTL_MS } from '../processor/src/core/recent-reads';
import { HANDLED_EVENTS } from '../processor/src/webhooks/events';
import { browserConfirm, counters, resetCounters, stripeFor } from '../processor/testing/stripe';
import { oauthToken } from '../processor/testing/tokens';
import { quiesce } from '../processor/testing/wired';
import { call, checkout, type World } from '../processor/testing/world';
import { load, type LoadRequest, type LoadResult, pool } from './load';
import type { BenchProcessor } from './spawned';
import { isBrowserRoute } from './upstream';

export interface PhaseResult extends LoadResult {
  /** commercetools and Stripe requests of the phase (webhooks included, until quiet) per request. */
  upstreamPerRequest: { commercetools: number; stripe: number };
}

export interface LoadSettings {
  amount: number;
  connections: number;
}

type Session = Awaited<ReturnType<typeof checkout>>;
export type Paid = Session & { paymentReference: string; paymentIntentId: string };

const SETUP_CONCURRENCY = 10;

function queue<T>(items: T[], build: (item: T) => LoadRequest): () => LoadRequest {
  let i = 0;
  return () => {
    if (i >= items.length) throw new Error('the bench prepared too few requests');
    return build(items[i++]!);
  };
}

export async function measured(
  world: World,
  p: BenchProcessor,
  name: string,
  settings: LoadSettings,
  next: () => LoadRequest,
): Promise<PhaseResult> {
  await quiesce(world, 60000);
  await resetCounters(world);
  p.logs.length = 0;
  const result = await load(name, p.url, { ...settings, next, ...(p.cpuMs ? { processorCpuMs: p.cpuMs } : {}) });
  await quiesce(world, 60000);
  const [ct, stripe] = await Promise.all([counters(world, 'commercetools'), counters(world, 'stripe')]);
  const per = (n: number) => Math.round((n / Math.max(1, result.requests)) * 100) / 100;
  const ok = Object.entries(result.statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((n, [, count]) => n + count, 0);
  if (ok === 0) throw new Error(`${name}: no successful request (${JSON.stringify(result.statuses)})`);
  return { ...result, upstreamPerRequest: { commercetools: per(ct.total), stripe: per(stripe.total) } };
}

const sessions = (world: World, n: number) =>
  pool(
    Array.from({ length: n }, (_, i) => i),
    SETUP_CONCURRENCY,
    () => checkout(world),
  );

/** Checkouts paid by the browser (PaymentIntent confirmed with the publishable key), not yet confirmed to the processor. */
export const paidCheckouts = (world: World, p: BenchProcessor, n: number): Promise<Paid[]> =>
  pool(
    Array.from({ length: n }, (_, i) => i),
    SETUP_CONCURRENCY,
    async () => {
      const session = await checkout(world);
      const created = await call(`${p.url}/payments`, { session: session.sessionId, json: {} });
      if (created.status !== 200) throw new Error(`POST /payments answered ${created.status}`);
      const confirmed = await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
      if (confirmed instanceof Error) throw confirmed;
      return {
        ...session,
        paymentReference: created.body.paymentReference as string,
        paymentIntentId: (created.body.clientSecret as string).split('_secret_')[0]!,
      };
    },
  );

export async function benchCreatePayment(world: World, p: BenchProcessor, s: LoadSettings): Promise<PhaseResult> {
  const ready = await sessions(world, s.amount + s.connections);
  return measured(
    world,
    p,
    'POST /payments',
    s,
    queue(ready, (c) => ({ method: 'POST', path: '/payments', headers: { 'x-session-id': c.sessionId }, body: '{}' })),
  );
}

export async function benchConfirmPayment(
  world: World,
  p: BenchProcessor,
  s: LoadSettings,
): Promise<{ result: PhaseResult; paid: Paid[] }> {
  const paid = await paidCheckouts(world, p, s.amount + s.connections);
  const result = await measured(
    world,
    p,
    'POST /confirmPayments/:ref',
    s,
    queue(paid, (c) => ({
      method: 'POST',
      path: `/confirmPayments/${c.paymentReference}`,
      headers: { 'x-session-id': c.sessionId },
      body: '{}',
    })),
  );
  return { result, paid };
}

/** Manual-capture payments captured in full through `/operations/payment-intents/:id`. */
export async function benchCapture(world: World, p: BenchProcessor, s: LoadSettings): Promise<PhaseResult> {
  const paid = await paidCheckouts(world, p, s.amount + s.connections);
  const token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
  return measured(
    world,
    p,
    'POST /operations/payment-intents/:id (capture)',
    s,
    queue(paid, (c) => ({
      method: 'POST',
      path: `/operations/payment-intents/${c.paymentReference}`,
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({
        actions: [
          {
            action: 'capturePayment',
            amount: { centAmount: c.amountPlanned.centAmount, currencyCode: c.amountPlanned.currencyCode },
          },
        ],
      }),
    })),
  );
}

/**
 * The emulator's own events of real payments, signed again with the processor's secret and
 * replayed late (after the processor's last reads of them expired), each several times: the first
 * event of a payment makes the processor fetch the PaymentIntent and compute the diff against the
 * payment, as a late delivery does; the others, within seconds of that read and shown by it field
 * for field, are planned from it, as duplicates are.
 */
export async function benchWebhooks(
  world: World,
  p: BenchProcessor,
  paid: Paid[],
  s: LoadSettings,
): Promise<PhaseResult> {
  const ours = new Set(paid.map((c) => c.paymentIntentId));
  const handled = new Set<string>(HANDLED_EVENTS);
  const events: Stripe.Event[] = [];
  for await (const event of stripeFor(world).events.list({ limit: 100 })) {
    const object = event.data.object as { id?: string; payment_intent?: string | null };
    const pi = object.id?.startsWith('pi_') ? object.id : object.payment_intent;
    if (handled.has(event.type) && pi && ours.has(pi)) events.push(event);
  }
  if (events.length === 0) throw new Error('the emulator listed no event of the paid checkouts');
  await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_TTL_MS + 500));
  const secret = p.endpoint.secret!;
  const signed = Array.from({ length: s.amount + s.connections }, (_, i) => {
    const payload = JSON.stringify(events[i % events.length]);
    return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
  });
  return measured(
    world,
    p,
    'POST /stripe/webhooks',
    s,
    queue(signed, (e) => ({
      method: 'POST',
      path: '/stripe/webhooks',
      headers: { 'stripe-signature': e.signature },
      body: e.payload,
    })),
  );
}

export interface CheckoutCpu {
  checkouts: number;
  /** The processor's own CPU time (user + system, from /proc) per checkout, its webhooks included. */
  processorCpuMs: number;
  /** Its upstream requests per checkout (webhooks included). */
  upstreamPerCheckout: { commercetools: number; stripe: number };
}

/**
 * Guest checkouts one after the other through a processor in its own process (config, element
 * configuration, payment, the browser's confirmation, confirm; the webhooks race the next
 * checkout, and the run waits for the last ones): its CPU time over the whole run, per checkout.
 * The unmeasured checkouts before let the processor compile its hot paths, as a running service
 * has. /proc counts in clock ticks (10 ms), so the run is long enough for the tick to be a few
 * percent of it.
 */
export async function benchCheckoutCpu(world: World, p: BenchProcessor, checkouts: number): Promise<CheckoutCpu> {
  const sessions = await pool(
    Array.from({ length: checkouts + WARM_UP_CHECKOUTS }, (_, i) => i),
    SETUP_CONCURRENCY,
    () => checkout(world),
  );
  for (const session of sessions.splice(0, WARM_UP_CHECKOUTS)) await checkoutThrough(world, p, session);
  await quiesce(world, 60000);
  await resetCounters(world);
  const before = p.cpuMs!();
  for (const session of sessions) await checkoutThrough(world, p, session);
  await quiesce(world, 60000);
  const cpuMs = p.cpuMs!() - before;
  const [ct, stripe] = await Promise.all([counters(world, 'commercetools'), counters(world, 'stripe')]);
  const processorRoutes = (byRoute: Record<string, { count: number }>) =>
    Object.entries(byRoute).reduce((n, [route, { count }]) => (isBrowserRoute(route) ? n : n + count), 0);
  const per = (n: number) => Math.round((n / checkouts) * 100) / 100;
  return {
    checkouts,
    processorCpuMs: Math.round((cpuMs / checkouts) * 10) / 10,
    upstreamPerCheckout: {
      commercetools: per(processorRoutes(ct.byRoute)),
      stripe: per(processorRoutes(stripe.byRoute)),
    },
  };
}

const WARM_UP_CHECKOUTS = 60;

async function checkoutThrough(world: World, p: BenchProcessor, session: Session): Promise<void> {
  const ok = <T extends { status: number; body: unknown }>(what: string, res: T): T => {
    if (res.status !== 200) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const { sessionId } = session;
  ok('config', await call(`${p.url}/operations/config`, { session: sessionId }));
  ok('element config', await call(`${p.url}/config-element/payment`, { session: sessionId }));
  const created = ok('payment', await call(`${p.url}/payments`, { session: sessionId, json: {} }));
  const confirmed = await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  if (confirmed instanceof Error) throw confirmed;
  const ref = created.body.paymentReference as string;
  const outcome = ok('confirm', await call(`${p.url}/confirmPayments/${ref}`, { session: sessionId, json: {} }));
  if (outcome.body.outcome !== 'approved') throw new Error(`checkout outcome ${outcome.body.outcome}`);
}

/**
 * The webhook event that creates the order, alone: checkouts paid by the browser while the emulator
 * delivers none of their events (and never confirmed to the processor), then each one's
 * `payment_intent.succeeded` sent once. Each event reads the PaymentIntent, holds the payment
 * against its cart, records it and creates the order; the processor made the payments itself
 * moments before, as in a checkout.
 */
export async function benchOrderWebhooks(world: World, p: BenchProcessor, s: LoadSettings): Promise<PhaseResult> {
  const stripeBase = world.sandbox.info.stripe;
  const settings = (dropTypes: string[]) => call(`${stripeBase}/_sandbox/webhooks/settings`, { json: { dropTypes } });
  await settings([...HANDLED_EVENTS]);
  let paid: Paid[];
  try {
    paid = await paidCheckouts(world, p, s.amount + s.connections);
  } finally {
    await settings([]);
  }
  const ours = new Set(paid.map((c) => c.paymentIntentId));
  const events: Stripe.Event[] = [];
  for await (const event of stripeFor(world).events.list({ limit: 100, type: 'payment_intent.succeeded' })) {
    if (ours.has((event.data.object as { id: string }).id)) events.push(event);
  }
  if (events.length < s.amount + s.connections) throw new Error(`only ${events.length} events of the paid checkouts`);
  const secret = p.endpoint.secret!;
  const result = await measured(
    world,
    p,
    'POST /stripe/webhooks (payment_intent.succeeded, creates the order)',
    s,
    queue(events, (event) => {
      const payload = JSON.stringify(event);
      return {
        method: 'POST',
        path: '/stripe/webhooks',
        headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) },
        body: payload,
      };
    }),
  );
  const created = p.logs.filter((line) => line.includes('"webhook applied"') && line.includes('"order":"created"'));
  if (created.length !== result.requests)
    throw new Error(`${created.length} of ${result.requests} order-creating events created an order`);
  return result;
}
