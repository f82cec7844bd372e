import type Stripe from 'stripe';
import { eventTypes, startEmulator, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const authorize = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
  h.stripe.paymentIntents.create({
    amount: 2999,
    currency: 'eur',
    capture_method: 'manual',
    payment_method: 'pm_card_visa',
    confirm: true,
    ...params,
  });

const chargeOf = async (pi: Stripe.PaymentIntent) => h.stripe.charges.retrieve(String(pi.latest_charge));

describe('manual capture', () => {
  it('authorizes into requires_capture with an uncaptured charge', async () => {
    const pi = await authorize();
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 2999, amount_received: 0 });
    expect(await chargeOf(pi)).toMatchObject({
      status: 'succeeded',
      captured: false,
      amount_captured: 0,
      balance_transaction: null,
    });
    expect(await eventTypes(h, pi.id)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
    ]);
  });

  it('captures in full: one balance transaction, charge.captured and payment_intent.succeeded', async () => {
    const pi = await authorize();
    const captured = await h.stripe.paymentIntents.capture(pi.id);
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 2999, amount_capturable: 0 });
    const charge = await chargeOf(pi);
    expect(charge).toMatchObject({ captured: true, amount_captured: 2999, amount_refunded: 0, refunded: false });
    const txns = await h.stripe.balanceTransactions.list({ source: charge.id });
    expect(txns.data.map((t) => [t.amount, t.type])).toEqual([[2999, 'charge']]);
    expect(txns.data[0]!.net).toBeLessThan(2999);
    expect((await eventTypes(h, pi.id)).slice(-2)).toEqual(['charge.captured', 'payment_intent.succeeded']);
  });

  it('refuses to capture more than capturable, or in another state', async () => {
    const pi = await authorize();
    const over = await stripeError(h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 }));
    expect(over).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' });
    const open = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'eur', capture_method: 'manual' });
    expect(await stripeError(h.stripe.paymentIntents.capture(open.id))).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
    const automatic = await authorize({ capture_method: 'automatic' });
    expect(await stripeError(h.stripe.paymentIntents.capture(automatic.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it('a partial capture releases the rest, with no Refund (API 2025-03-31 and later)', async () => {
    const pi = await authorize();
    const captured = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1000, amount_capturable: 0 });
    const charge = await chargeOf(pi);
    // Since basil (2025-03-31), a partial capture creates no Refund for the released rest.
    expect(charge).toMatchObject({ amount: 2999, amount_captured: 1000, amount_refunded: 0, refunded: false });
    expect((await h.stripe.refunds.list({ payment_intent: pi.id })).data).toEqual([]);
    // What can still be refunded is what was captured.
    expect(await stripeError(h.stripe.refunds.create({ payment_intent: pi.id, amount: 1001 }))).toMatchObject({
      code: 'amount_too_large',
    });
    expect((await h.stripe.refunds.create({ payment_intent: pi.id })).amount).toBe(1000);
    expect(await chargeOf(pi)).toMatchObject({ amount_refunded: 1000, refunded: true });
    expect(await stripeError(h.stripe.paymentIntents.capture(pi.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });
});

describe('multicapture', () => {
  const multicapture = { payment_method_options: { card: { request_multicapture: 'if_available' as const } } };

  it('final_capture=false keeps the rest capturable; the final capture releases what is left', async () => {
    const pi = await authorize(multicapture);
    expect((await chargeOf(pi)).payment_method_details?.card?.multicapture).toEqual({ status: 'available' });
    const first = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000, final_capture: false });
    expect(first).toMatchObject({ status: 'requires_capture', amount_capturable: 1999, amount_received: 1000 });
    const second = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 999, final_capture: false });
    expect(second).toMatchObject({ status: 'requires_capture', amount_capturable: 1000, amount_received: 1999 });
    const last = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 500 });
    expect(last).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 2499 });
    const charge = await chargeOf(pi);
    expect(charge).toMatchObject({ amount_captured: 2499, amount_refunded: 0 });
    const txns = await h.stripe.balanceTransactions.list({ source: charge.id });
    expect(txns.data.map((t) => t.amount).sort()).toEqual([1000, 500, 999].sort());
    expect(await eventTypes(h, pi.id)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'charge.captured',
      'payment_intent.amount_capturable_updated',
      'charge.updated',
      'payment_intent.amount_capturable_updated',
      'charge.updated',
      'payment_intent.succeeded',
    ]);
  });

  it('final_capture=false without multicapture is refused', async () => {
    const pi = await authorize();
    expect(
      await stripeError(h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 100, final_capture: false })),
    ).toMatchObject({ statusCode: 400, param: 'final_capture' });
  });

  it('allows at most 50 captures', async () => {
    const pi = await authorize({ amount: 10_000, ...multicapture });
    for (let i = 0; i < 50; i++) {
      await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1, final_capture: false });
    }
    expect(
      await stripeError(h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1, final_capture: false })),
    ).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).amount_received).toBe(50);
  });
});

describe('releasing an authorization', () => {
  it('cancel of an authorization releases it, with no Refund (API 2025-03-31 and later)', async () => {
    const pi = await authorize();
    const canceled = await h.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({
      status: 'canceled',
      amount_capturable: 0,
      cancellation_reason: 'requested_by_customer',
    });
    expect(await chargeOf(pi)).toMatchObject({ captured: false, amount_refunded: 0, refunded: false });
    expect((await eventTypes(h, pi.id)).slice(-1)).toEqual(['payment_intent.canceled']);
    expect((await eventTypes(h, pi.id)).filter((t) => t.startsWith('refund.'))).toEqual([]);
    expect(await stripeError(h.stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({
      code: 'charge_not_refundable',
    });
  });

  it('an authorization that expires cancels the PaymentIntent (cancellation_reason expired)', async () => {
    const pi = await authorize();
    const expired = await h.control(`/payment_intents/${pi.id}/expire`);
    expect(expired.body).toMatchObject({ status: 'canceled', cancellation_reason: 'expired' });
    expect(await eventTypes(h, pi.id)).toContain('charge.expired');
    expect((await h.control(`/payment_intents/${pi.id}/expire`)).status).toBe(400);
  });
});
