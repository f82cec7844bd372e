import type { Payment } from '@commercetools/platform-sdk';
import { reconcile } from '../../src/sync/reconcile';
import { cartTotal, getCart, ordersOf, setQuantity } from '../../testing/cart';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { control, ctControl, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let auto: Processor;
let manual: Processor;

beforeAll(async () => {
  world = await startWorld();
  [auto, manual] = await Promise.all([
    startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' }),
    startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual' }),
  ]);
});
afterAll(async () => {
  await Promise.all([auto?.close(), manual?.close()]);
  await world?.stop();
});
afterEach(async () => {
  await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });
  await call(`${world.sandbox.info.stripe}/_sandbox/faults`, { method: 'DELETE' });
  await control(world, '/webhooks/resume', {});
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
const createPayment = (p: Processor, sessionId: string) => call(`${p.url}/payments`, { session: sessionId, json: {} });
const confirm = (p: Processor, sessionId: string, ref: string) =>
  call(`${p.url}/confirmPayments/${ref}`, { session: sessionId, json: {} });
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);
const txs = async (p: Processor, id: string) =>
  (await payment(p, id)).transactions.map((t) => `${t.type} ${t.state} ${t.amount.centAmount}`).sort();
const stripePi = (id: string) => stripeFor(world).paymentIntents.retrieve(id, { expand: ['latest_charge'] });

/** The shopper pays the cart's current total with a new attempt: approved, one order for it. */
async function payAgain(p: Processor, sessionId: string, cartId: string, expected: number) {
  const again = await createPayment(p, sessionId);
  expect(again.status).toBe(200);
  expect((await stripePi(piIdOf(again.body.clientSecret))).amount).toBe(expected);
  await browserConfirm(world, again.body.clientSecret, 'pm_card_visa');
  expect((await confirm(p, sessionId, again.body.paymentReference)).body.outcome).toBe('approved');
  await quiesce(world);
  const orders = await ordersOf(p, cartId);
  expect(orders).toHaveLength(1);
  expect(orders[0]!.totalPrice.centAmount).toBe(expected);
  return again.body.paymentReference as string;
}

describe('the cart changes while the shopper pays', () => {
  it('paid 29.99 for a cart now at 79.99: confirm says cart_changed, the charge is refunded, no order; paying the new total works', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await createPayment(auto, sessionId);
    expect((await setQuantity(auto, cartId, 3)).totalPrice.centAmount).toBe(7999);
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');

    const res = await confirm(auto, sessionId, created.body.paymentReference);
    expect(res.body).toMatchObject({ outcome: 'rejected', errorCode: 'cart_changed' });
    await quiesce(world);

    const pi = await stripePi(piIdOf(created.body.clientSecret));
    expect(pi.status).toBe('succeeded');
    const refunds = await stripeFor(world).refunds.list({ payment_intent: pi.id });
    expect(refunds.data.map((r) => [r.amount, r.metadata?.ct_reason])).toEqual([[2999, 'cart_changed']]);
    expect(await ordersOf(auto, cartId)).toEqual([]);
    expect(await txs(auto, created.body.paymentReference)).toEqual([
      'Authorization Success 2999',
      'Charge Success 2999',
      'Refund Success 2999',
    ]);

    await payAgain(auto, sessionId, cartId, 7999);
  });

  it('a release refund that Stripe fails later is not tried again: no order, one refund, an error for the merchant', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await createPayment(auto, sessionId);
    await setQuantity(auto, cartId, 2);
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    await quiesce(world);
    const piId = piIdOf(created.body.clientSecret);
    const [release] = (await stripeFor(world).refunds.list({ payment_intent: piId })).data;
    expect(release?.metadata?.ct_reason).toBe('cart_changed');
    await control(world, `/refunds/${release!.id}/settle`, { outcome: 'failed' });
    await quiesce(world);

    const refunds = (await stripeFor(world).refunds.list({ payment_intent: piId })).data;
    expect(refunds.map((r) => [r.id, r.status])).toEqual([[release!.id, 'failed']]);
    expect(await ordersOf(auto, cartId)).toEqual([]);
    expect(await txs(auto, created.body.paymentReference)).toEqual([
      'Authorization Success 2999',
      'Charge Success 2999',
      'Refund Failure 2999',
    ]);
    expect(auto.logs.join('\n')).toContain('return the money another way');
  });

  it('manual capture, the webhook first: the authorization is cancelled and no order is created', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await createPayment(manual, sessionId);
    await setQuantity(manual, cartId, 2);
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    await quiesce(world);

    const pi = await stripePi(piIdOf(created.body.clientSecret));
    expect(pi.status).toBe('canceled');
    expect(await ordersOf(manual, cartId)).toEqual([]);
    expect(await txs(manual, created.body.paymentReference)).toEqual([
      'Authorization Success 2999',
      'CancelAuthorization Success 2999',
    ]);
    // The shopper's late confirm is told why.
    expect((await confirm(manual, sessionId, created.body.paymentReference)).body).toMatchObject({
      outcome: 'rejected',
      errorCode: 'cart_changed',
    });
    await payAgain(manual, sessionId, cartId, 5499);
  });

  it('the total goes A→B→A→B with POST /payments after each change: the PaymentIntent always asks the cart total', async () => {
    const { sessionId, cartId } = await checkout(world);
    let ref: string | undefined;
    for (const quantity of [1, 2, 1, 2]) {
      const cart = await setQuantity(auto, cartId, quantity);
      const created = await createPayment(auto, sessionId);
      expect(created.status).toBe(200);
      ref ??= created.body.paymentReference;
      expect(created.body.paymentReference).toBe(ref);
      expect((await stripePi(piIdOf(created.body.clientSecret))).amount).toBe(cartTotal(cart));
      expect((await payment(auto, ref!)).amountPlanned.centAmount).toBe(cartTotal(cart));
    }
    const last = await createPayment(auto, sessionId);
    await browserConfirm(world, last.body.clientSecret, 'pm_card_visa');
    expect((await confirm(auto, sessionId, ref!)).body.outcome).toBe('approved');
    await quiesce(world);
    expect((await ordersOf(auto, cartId)).map((o) => o.totalPrice.centAmount)).toEqual([5499]);
  });

  it('an amount update whose commercetools half failed: the retry brings both into agreement and the paid shopper is approved', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await createPayment(auto, sessionId);
    const ref = created.body.paymentReference as string;
    await setQuantity(auto, cartId, 2);
    await ctControl(world, '/faults', { method: 'POST', path: `/sandbox/payments/${ref}`, status: 503, times: 10 });
    expect((await createPayment(auto, sessionId)).status).toBeGreaterThanOrEqual(500);
    await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });

    const retried = await createPayment(auto, sessionId);
    expect(retried.status).toBe(200);
    expect((await stripePi(piIdOf(retried.body.clientSecret))).amount).toBe(5499);
    expect((await payment(auto, ref)).amountPlanned.centAmount).toBe(5499);
    await browserConfirm(world, retried.body.clientSecret, 'pm_card_visa');
    expect((await confirm(auto, sessionId, ref)).body.outcome).toBe('approved');
  });

  it('decline, cart change, success: a new Authorization for the new amount, the failed one stays as it was', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await createPayment(auto, sessionId);
    const ref = created.body.paymentReference as string;
    await browserConfirm(world, created.body.clientSecret, 'pm_card_chargeDeclined');
    expect((await confirm(auto, sessionId, ref)).body.outcome).toBe('rejected');
    await setQuantity(auto, cartId, 2);
    const again = await createPayment(auto, sessionId);
    expect(again.body.paymentReference).toBe(ref);
    await browserConfirm(world, again.body.clientSecret, 'pm_card_visa');
    expect((await confirm(auto, sessionId, ref)).body.outcome).toBe('approved');
    await quiesce(world);
    expect(await txs(auto, ref)).toEqual([
      'Authorization Failure 2999',
      'Authorization Success 5499',
      'Charge Success 5499',
    ]);
  });
});

describe('a checkout interrupted between its commercetools writes', () => {
  it('the payment got its PaymentIntent but never reached the cart: the next POST /payments recovers it and the shopper pays once', async () => {
    const { sessionId, cartId } = await checkout(world);
    await ctControl(world, '/faults', { method: 'POST', path: `/sandbox/carts/${cartId}`, status: 503, times: 10 });
    expect((await createPayment(auto, sessionId)).status).toBeGreaterThanOrEqual(500);
    await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });

    const retried = await createPayment(auto, sessionId);
    expect(retried.status).toBe(200);
    const again = await createPayment(auto, sessionId);
    expect(again.body.paymentReference).toBe(retried.body.paymentReference);
    await browserConfirm(world, again.body.clientSecret, 'pm_card_visa');
    expect((await confirm(auto, sessionId, again.body.paymentReference)).body.outcome).toBe('approved');
    await quiesce(world);

    const cart = await getCart(auto, cartId);
    expect(cart.paymentInfo?.payments.map((p) => p.id)).toContain(again.body.paymentReference);
    const paid = (await stripeFor(world).paymentIntents.list({ limit: 100 })).data.filter(
      (pi) => pi.metadata.ct_cart_id === cartId && pi.status === 'succeeded',
    );
    expect(paid).toHaveLength(1);
    expect((await ordersOf(auto, cartId)).map((o) => o.totalPrice.centAmount)).toEqual([2999]);
  });
});

describe('a checkout interrupted between the link and the cart update (sent together)', () => {
  it('the payment reached the cart but never named its PaymentIntent: the next POST /payments finishes that payment, with the same PaymentIntent', async () => {
    const { sessionId, cartId } = await checkout(world);
    await ctControl(world, '/faults', { method: 'POST', path: '/sandbox/payments/*', status: 503, times: 10 });
    expect((await createPayment(auto, sessionId)).status).toBeGreaterThanOrEqual(500);
    await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });
    const [left] = (await getCart(auto, cartId)).paymentInfo?.payments ?? [];
    expect(left).toBeDefined();
    expect((await payment(auto, left!.id)).interfaceId).toBeUndefined();

    const retried = await createPayment(auto, sessionId);
    expect(retried.status).toBe(200);
    expect(retried.body.paymentReference).toBe(left!.id);
    expect((await payment(auto, left!.id)).interfaceId).toBe(piIdOf(retried.body.clientSecret));
    expect((await getCart(auto, cartId)).paymentInfo?.payments.map((p) => p.id)).toEqual([left!.id]);
    // The interrupted request had created the PaymentIntent under the same key: Stripe gave it again.
    const made = await stripeFor(world).paymentIntents.search({ query: `metadata['ct_cart_id']:'${cartId}'` });
    expect(made.data.map((pi) => pi.id)).toEqual([piIdOf(retried.body.clientSecret)]);

    await browserConfirm(world, retried.body.clientSecret, 'pm_card_visa');
    expect((await confirm(auto, sessionId, retried.body.paymentReference)).body.outcome).toBe('approved');
    await quiesce(world);
    expect((await ordersOf(auto, cartId)).map((o) => o.totalPrice.centAmount)).toEqual([2999]);
  });
});

describe('reconcile', () => {
  it('reports a transaction whose amount differs from Stripe, not only a state that differs', async () => {
    const { sessionId } = await checkout(world);
    await control(world, '/webhooks/pause', {});
    const created = await createPayment(auto, sessionId);
    const ref = created.body.paymentReference as string;
    const piId = piIdOf(created.body.clientSecret);
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    const current = await payment(auto, ref);
    await auto.deps.sdk.ctAPI.payment.updatePayment({
      resource: { id: ref, version: current.version },
      actions: [
        {
          action: 'addTransaction',
          transaction: {
            type: 'Authorization',
            state: 'Success',
            amount: { centAmount: 1000, currencyCode: 'EUR' },
            interactionId: piId,
          },
        },
      ],
    });
    const report = await reconcile(auto.deps.payments, new Date(Date.now() - 60_000), { dryRun: true });
    const item = report.items.find((i) => i.paymentIntentId === piId)!;
    expect(item.drift.some((d) => /Authorization Success 2999/.test(d))).toBe(true);
  });
});
