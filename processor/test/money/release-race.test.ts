import type { Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { setQuantity } from '../../testing/cart';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { control, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

/**
 * A payment whose cart changed is released. When its authorization is captured between the read
 * that decided the release and the cancel (the merchant's order system, the dashboard, another
 * replica), Stripe refuses the cancel: Stripe is read again, and what was captured is refunded.
 */

let world: World;
let manual: Processor;

beforeAll(async () => {
  world = await startWorld();
  manual = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual', CREATE_ORDERS: 'false' });
});
afterAll(async () => {
  await manual?.close();
  await world?.stop();
});
afterEach(async () => {
  await call(`${world.sandbox.info.stripe}/_sandbox/faults`, { method: 'DELETE' });
  await control(world, '/webhooks/resume', {});
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);

async function until(check: () => Promise<boolean>, timeoutMs = 5000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a release that meets a capture', () => {
  it('the payment captured while its release was on the way is still given back (refunded), and confirm does not say approved', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await call(`${manual.url}/payments`, { session: sessionId, json: {} });
    const ref = created.body.paymentReference as string;
    const piId = piIdOf(created.body.clientSecret);
    await setQuantity(manual, cartId, 2); // the cart now asks 54.99
    await control(world, '/webhooks/pause', {});
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa'); // authorized 29.99

    // The release's cancel takes a moment to reach Stripe; the authorization is captured meanwhile.
    await control(world, '/faults', { method: 'POST', path: `/v1/payment_intents/${piId}/cancel`, delayMs: 1500 });
    const confirming = call(`${manual.url}/confirmPayments/${ref}`, { session: sessionId, json: {} });
    await until(async () => (await call(`${world.sandbox.info.stripe}/_sandbox/faults`)).body.faults.length === 0);
    await control(world, `/dashboard/payment_intents/${piId}/capture`, {});
    const answer = (await confirming).body;

    await control(world, '/webhooks/resume', {});
    await quiesce(world);

    const pi = await stripeFor(world).paymentIntents.retrieve(piId, { expand: ['latest_charge'] });
    const charge = pi.latest_charge as Stripe.Charge;
    const refunds = await stripeFor(world).refunds.list({ payment_intent: piId });
    const txs = (await payment(manual, ref)).transactions.map((t) => `${t.type} ${t.state} ${t.amount.centAmount}`);

    expect(charge.amount_captured).toBe(2999);
    // The cart asks 54.99: the 29.99 captured must go back, and the shopper must be told.
    expect(refunds.data.map((r) => r.amount)).toEqual([2999]);
    expect(txs.filter((t) => t.startsWith('Refund'))).toEqual(['Refund Success 2999']);
    expect(answer).toMatchObject({ outcome: 'rejected', errorCode: 'cart_changed' });
  });
});
