import { syncPaymentIntent } from '../../src/sync/sync-payment-intent';
import { addGiftCardPayment, getCart, ordersOf, setQuantity } from '../../testing/cart';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/** What commercetools Checkout puts in the session reaches the payment where Checkout reads it. */
let world: World;
let processor: Processor;

beforeAll(async () => {
  world = await startWorld();
  processor = await startProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' });
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;

it("the checkout transaction item id goes to the payment's own field; the gift card's planned amount is not charged", async () => {
  const { sessionId } = await checkout(world, {
    metadata: {
      checkoutTransactionItemId: 'checkout-item-1',
      giftCardPlannedAmount: { type: 'centPrecision', centAmount: 1000, currencyCode: 'EUR', fractionDigits: 2 },
    },
  });
  const config = await call(`${processor.url}/config-element/card`, { session: sessionId });
  expect(config.body).toMatchObject({ cartInfo: { amount: 1999, currency: 'eur' } });

  const created = (await call(`${processor.url}/payments`, { session: sessionId, json: {} })).body as {
    clientSecret: string;
    paymentReference: string;
  };
  const payment = await processor.deps.sdk.ctAPI.payment.getPaymentById(created.paymentReference);
  // The field commercetools Checkout reads; paymentInterface stays the connector's.
  expect(payment.checkoutTransactionItemId).toBe('checkout-item-1');
  expect(payment.paymentMethodInfo.paymentInterface).toBe('stripe');
  expect(payment.amountPlanned.centAmount).toBe(1999);
  const pi = await stripeFor(world).paymentIntents.retrieve(piIdOf(created.clientSecret));
  expect(pi.amount).toBe(1999);

  await browserConfirm(world, created.clientSecret, 'pm_card_visa');
  const res = await call(`${processor.url}/confirmPayments/${created.paymentReference}`, {
    session: sessionId,
    json: { paymentIntent: pi.id },
  });
  // The cart asks 2999 less the gift card: the payment covers it, and the answer names the card.
  expect(res.body).toMatchObject({ outcome: 'approved', card: { brand: 'visa', last4: '4242' } });
});

const giftCard = { type: 'centPrecision', centAmount: 1000, currencyCode: 'EUR', fractionDigits: 2 };

async function payCard(sessionId: string) {
  const created = (await call(`${processor.url}/payments`, { session: sessionId, json: {} })).body as {
    clientSecret: string;
    paymentReference: string;
  };
  const pi = piIdOf(created.clientSecret);
  await browserConfirm(world, created.clientSecret, 'pm_card_visa');
  const res = await call(`${processor.url}/confirmPayments/${created.paymentReference}`, {
    session: sessionId,
    json: { paymentIntent: pi },
  });
  return { ...created, pi, confirm: res.body as { outcome: string } };
}

it("no order while the gift card's own payment is not on the cart: the cart is not paid in full", async () => {
  const { cartId, sessionId } = await checkout(world, { metadata: { giftCardPlannedAmount: giftCard } });
  const paid = await payCard(sessionId);
  expect(paid.confirm.outcome).toBe('approved');
  // Paid 1999 of 2999: an order now would say paid for 1000 that nobody took.
  const first = await syncPaymentIntent(processor.deps.payments, paid.pi);
  expect(first).toMatchObject({ order: 'awaits-other-payments' });
  expect(await ordersOf(processor, cartId)).toEqual([]);
  expect((await getCart(processor, cartId)).cartState).toBe('Active');
  // The Stripe payment stands (not given back) and is recorded.
  expect((await stripeFor(world).paymentIntents.retrieve(paid.pi)).status).toBe('succeeded');
  const payment = await processor.deps.sdk.ctAPI.payment.getPaymentById(paid.paymentReference);
  expect(payment.transactions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        type: 'Charge',
        state: 'Success',
        amount: expect.objectContaining({ centAmount: 1999 }),
      }),
    ]),
  );

  // The gift card's payment arrives: the cart is paid in full, and the next sync orders it.
  await addGiftCardPayment(processor, cartId, 1000);
  const second = await syncPaymentIntent(processor.deps.payments, paid.pi);
  expect(second).toMatchObject({ order: 'created' });
  const [order] = await ordersOf(processor, cartId);
  expect(order?.paymentState).toBe('Paid');
  expect((order?.taxedPrice?.totalGross ?? order?.totalPrice)?.centAmount).toBe(2999);
});

it('a gift card whose payment is already on the cart is not deducted twice', async () => {
  const { cartId, sessionId } = await checkout(world, { metadata: { giftCardPlannedAmount: giftCard } });
  await addGiftCardPayment(processor, cartId, 1000);
  const config = await call(`${processor.url}/config-element/card`, { session: sessionId });
  expect(config.body).toMatchObject({ cartInfo: { amount: 1999 } });
  const paid = await payCard(sessionId);
  expect((await stripeFor(world).paymentIntents.retrieve(paid.pi)).amount).toBe(1999);
  expect(paid.confirm.outcome).toBe('approved');
  await syncPaymentIntent(processor.deps.payments, paid.pi);
  expect((await ordersOf(processor, cartId)).map((o) => o.paymentState)).toEqual(['Paid']);
});

it('a payment short of the cart by more than the planned gift card is given back', async () => {
  const { cartId, sessionId } = await checkout(world, { metadata: { giftCardPlannedAmount: giftCard } });
  const created = (await call(`${processor.url}/payments`, { session: sessionId, json: {} })).body as {
    clientSecret: string;
    paymentReference: string;
  };
  // The shopper adds a second item in another tab while paying 1999.
  await setQuantity(processor, cartId, 2);
  await browserConfirm(world, created.clientSecret, 'pm_card_visa');
  const res = await call(`${processor.url}/confirmPayments/${created.paymentReference}`, {
    session: sessionId,
    json: { paymentIntent: piIdOf(created.clientSecret) },
  });
  expect(res.body).toMatchObject({ outcome: 'rejected', errorCode: 'cart_changed' });
  expect(await ordersOf(processor, cartId)).toEqual([]);
});

it('a gift card in another currency than the cart is not deducted', async () => {
  const { sessionId } = await checkout(world, {
    metadata: {
      giftCardPlannedAmount: { type: 'centPrecision', centAmount: 1000, currencyCode: 'USD', fractionDigits: 2 },
    },
  });
  const config = await call(`${processor.url}/config-element/card`, { session: sessionId });
  expect(config.body).toMatchObject({ cartInfo: { amount: 2999 } });
});
