import type { Payment } from '@commercetools/platform-sdk';
import Stripe from 'stripe';
import { ordersOf } from '../../testing/cart';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { ctControl, installConnectorTypes } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/**
 * Two replicas align the order's payment state. One read the payment before the capture and is
 * slow to reach the order; the other records the capture and sets the order Paid. The slow one
 * must not set it back: the state is computed from the payment as read after the order, and
 * written against the order's version.
 */

let world: World;
let a: Processor;
let b: Processor;
let token: string;
const SECRET = 'whsec_sandbox_signing_secret';

beforeAll(async () => {
  world = await startWorld();
  [a, b] = await Promise.all([
    startProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual', STRIPE_WEBHOOK_SIGNING_SECRET: SECRET }),
    startProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual', STRIPE_WEBHOOK_SIGNING_SECRET: SECRET }),
  ]);
  await installConnectorTypes(a);
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await world?.stop();
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);

/** Delivers a real emulator event to one replica, signed as Stripe signs it (a delivery or a retry of it). */
async function deliver(p: Processor, event: Stripe.Event) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
  return call(`${p.url}/stripe/webhooks`, { raw: payload, headers: { 'stripe-signature': signature } });
}

async function eventOf(type: string, piId: string): Promise<Stripe.Event> {
  const events = await stripeFor(world).events.list({ type, limit: 100 });
  const found = events.data.find((e) => {
    const o = e.data.object as { id: string; payment_intent?: string };
    return o.id === piId || o.payment_intent === piId;
  });
  if (!found) throw new Error(`no ${type} event for ${piId}`);
  return found;
}

async function until(check: () => Promise<boolean>, timeoutMs = 5000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('order paymentState across replicas', () => {
  it('a sync that read the payment before the capture and reaches the order last does not move it from Paid back to Pending', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await call(`${a.url}/payments`, { session: sessionId, json: {} });
    const ref = created.body.paymentReference as string;
    const piId = piIdOf(created.body.clientSecret);
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    expect((await call(`${b.url}/confirmPayments/${ref}`, { session: sessionId, json: {} })).body.outcome).toBe(
      'approved',
    );

    // Replica B gets the authorization event: the order is created, Pending.
    const authorizedEvent = await eventOf('payment_intent.amount_capturable_updated', piId);
    expect((await deliver(b, authorizedEvent)).status).toBe(200);
    expect((await ordersOf(b, cartId)).map((o) => o.paymentState)).toEqual(['Pending']);

    // Replica A gets the same event (Stripe's retry of a delivery it thought failed). It reads
    // the payment (authorized) and then reaches commercetools' orders slowly.
    await ctControl(world, '/faults', { method: 'GET', path: '/sandbox/orders', delayMs: 3000, times: 1 });
    const late = deliver(a, authorizedEvent);
    await until(
      async () => (await call(`${world.sandbox.info.commercetools}/_sandbox/faults`)).body.faults.length === 0,
    );

    // Meanwhile the merchant captures and replica B records it on the order: Paid.
    const captured = await call(`${b.url}/operations/payment-intents/${ref}`, {
      headers: { authorization: `Bearer ${token}` },
      json: { actions: [{ action: 'capturePayment', amount: { centAmount: 2999, currencyCode: 'EUR' } }] },
    });
    expect(captured.body.outcome).toBe('approved');
    expect((await deliver(b, await eventOf('charge.captured', piId))).status).toBe(200);
    expect((await ordersOf(b, cartId)).map((o) => o.paymentState)).toEqual(['Paid']);

    // Replica A's sync finishes.
    expect((await late).status).toBe(200);

    const pi = await stripeFor(world).paymentIntents.retrieve(piId, { expand: ['latest_charge'] });
    expect((pi.latest_charge as Stripe.Charge).amount_captured).toBe(2999);
    expect((await payment(a, ref)).transactions.filter((t) => t.type === 'Charge').map((t) => t.state)).toEqual([
      'Success',
    ]);
    expect((await ordersOf(b, cartId)).map((o) => o.paymentState)).toEqual(['Paid']);
  });
});
