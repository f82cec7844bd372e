import type { Payment } from '@commercetools/platform-sdk';
import { getCart, ordersOf, setQuantity } from '../../testing/cart';
import { browserConfirm, counters, resetCounters, stripeFor } from '../../testing/stripe';
import { control, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

/**
 * The syncs of one checkout (its confirmation and the webhooks racing it) share what this process
 * read moments ago, and never where it could be out of date.
 */
let world: World;
let processor: Processor;

beforeAll(async () => {
  world = await startWorld();
  processor = await startWiredProcessor(world);
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});
afterEach(async () => {
  await control(world, '/webhooks/resume', {});
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
const payment = (id: string): Promise<Payment> => processor.deps.sdk.ctAPI.payment.getPaymentById(id);
const txs = async (id: string) =>
  (await payment(id)).transactions.map((t) => `${t.type} ${t.state} ${t.amount.centAmount}`).sort();

/** Requests of the processor to commercetools and Stripe since the counters were reset, by route. */
async function requests() {
  const [ct, stripe] = await Promise.all([counters(world, 'commercetools'), counters(world, 'stripe')]);
  const count = (byRoute: Record<string, { count: number }>, route: string) => byRoute[route]?.count ?? 0;
  return {
    paymentIntentReads: count(stripe.byRoute, 'GET /v1/payment_intents/:id'),
    cartReads: count(ct.byRoute, 'GET /:projectKey/carts/:id'),
    orderLookups: count(ct.byRoute, 'GET /:projectKey/orders'),
    orderCreations: count(ct.byRoute, 'POST /:projectKey/orders'),
  };
}

async function paid() {
  const { sessionId, cartId } = await checkout(world);
  const created = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
  expect(created.status).toBe(200);
  await quiesce(world);
  await resetCounters(world);
  return {
    sessionId,
    cartId,
    ref: created.body.paymentReference as string,
    secret: created.body.clientSecret as string,
  };
}

const confirm = (sessionId: string, ref: string) =>
  call(`${processor.url}/confirmPayments/${ref}`, { session: sessionId, json: {} });

describe('one checkout reads its PaymentIntent once', () => {
  it('the webhooks first: confirm answers from their read; the order is made from the cart they checked', async () => {
    const { sessionId, cartId, ref, secret } = await paid();
    await browserConfirm(world, secret, 'pm_card_visa');
    await quiesce(world);
    expect((await confirm(sessionId, ref)).body).toMatchObject({
      outcome: 'approved',
      paymentIntentStatus: 'succeeded',
    });

    expect(await requests()).toEqual({ paymentIntentReads: 1, cartReads: 1, orderLookups: 0, orderCreations: 1 });
    expect(await txs(ref)).toEqual(['Authorization Success 2999', 'Charge Success 2999']);
    expect((await ordersOf(processor, cartId)).map((o) => o.paymentState)).toEqual(['Paid']);
  });

  it('confirm first: its webhooks need no read, and the order is made from the cart confirm checked, without a lookup', async () => {
    const { sessionId, cartId, ref, secret } = await paid();
    await control(world, '/webhooks/pause', {});
    await browserConfirm(world, secret, 'pm_card_visa');
    expect((await confirm(sessionId, ref)).body).toMatchObject({ outcome: 'approved' });
    expect(await requests()).toEqual({ paymentIntentReads: 1, cartReads: 1, orderLookups: 0, orderCreations: 0 });
    await resetCounters(world);
    await control(world, '/webhooks/resume', {});
    await quiesce(world);

    expect(await requests()).toEqual({ paymentIntentReads: 0, cartReads: 0, orderLookups: 0, orderCreations: 1 });
    expect((await ordersOf(processor, cartId)).map((o) => o.paymentState)).toEqual(['Paid']);
  });
});

describe('a read is shared only while it is what Stripe says', () => {
  it('a refund made right after the confirmation is an event the last read does not show: it is read and recorded', async () => {
    const { sessionId, ref, secret } = await paid();
    await browserConfirm(world, secret, 'pm_card_visa');
    expect((await confirm(sessionId, ref)).body.outcome).toBe('approved');
    await control(world, `/dashboard/payment_intents/${piIdOf(secret)}/refund`, { amount: 1000 });
    await quiesce(world);

    expect(await txs(ref)).toEqual(['Authorization Success 2999', 'Charge Success 2999', 'Refund Success 1000']);
    expect((await requests()).paymentIntentReads).toBeGreaterThan(1);
  });

  it('a cart changed between the confirmation and its webhook: the order from the checked version is refused, the payment given back', async () => {
    const { sessionId, cartId, ref, secret } = await paid();
    await control(world, '/webhooks/pause', {});
    await browserConfirm(world, secret, 'pm_card_visa');
    expect((await confirm(sessionId, ref)).body.outcome).toBe('approved');
    await setQuantity(processor, cartId, 3);
    await control(world, '/webhooks/resume', {});
    await quiesce(world, 30000);

    expect(await ordersOf(processor, cartId)).toEqual([]);
    expect((await getCart(processor, cartId)).cartState).toBe('Active');
    const pi = await stripeFor(world).paymentIntents.retrieve(piIdOf(secret), { expand: ['latest_charge'] });
    expect(pi.latest_charge).toMatchObject({ amount_refunded: 2999 });
    expect(await txs(ref)).toEqual(['Authorization Success 2999', 'Charge Success 2999', 'Refund Success 2999']);
  });
});
