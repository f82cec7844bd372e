import { eventTypes, startEmulator, startReceiver, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const paid = (paymentMethod = 'pm_card_visa', amount = 2999) =>
  h.stripe.paymentIntents.create({
    amount,
    currency: 'eur',
    payment_method: paymentMethod,
    confirm: true,
    capture_method: 'automatic',
  });

describe('refunds', () => {
  it('refunds partially by payment_intent and by charge, capped at what remains', async () => {
    const pi = await paid();
    const first = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 1000, metadata: { ct: 'r1' } });
    expect(first).toMatchObject({
      object: 'refund',
      amount: 1000,
      status: 'succeeded',
      payment_intent: pi.id,
      charge: pi.latest_charge,
      metadata: { ct: 'r1' },
    });
    expect(first.balance_transaction).toMatch(/^txn_/);
    const second = await h.stripe.refunds.create({ charge: String(pi.latest_charge), amount: 999 });
    expect(second.amount).toBe(999);
    expect(await stripeError(h.stripe.refunds.create({ payment_intent: pi.id, amount: 1001 }))).toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
      param: 'amount',
    });
    const rest = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(1000);
    expect(await stripeError(h.stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
    });
    const charge = await h.stripe.charges.retrieve(String(pi.latest_charge), { expand: ['refunds'] });
    expect(charge).toMatchObject({ amount_refunded: 2999, refunded: true });
    expect(charge.refunds?.data.map((r) => r.id)).toEqual([rest.id, second.id, first.id]);
    expect((await h.stripe.refunds.list({ payment_intent: pi.id })).data).toHaveLength(3);
    expect((await h.stripe.refunds.retrieve(first.id, { expand: ['charge'] })).charge).toMatchObject({
      object: 'charge',
      id: pi.latest_charge,
    });
    expect((await eventTypes(h, pi.id)).filter((t) => t === 'charge.refunded')).toHaveLength(3);
  });

  it('refuses refunds without a target, of unknown charges, or of an uncaptured authorization', async () => {
    expect(await stripeError(h.stripe.refunds.create({}))).toMatchObject({ statusCode: 400 });
    expect(await stripeError(h.stripe.refunds.create({ charge: 'ch_nope' }))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    const held = await h.stripe.paymentIntents.create({
      amount: 2999,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
    });
    expect(await stripeError(h.stripe.refunds.create({ payment_intent: held.id }))).toMatchObject({
      statusCode: 400,
      code: 'charge_not_refundable',
    });
  });

  it('updates metadata and emits refund.updated', async () => {
    const pi = await paid();
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    expect((await h.stripe.refunds.update(refund.id, { metadata: { note: 'x' } })).metadata).toEqual({ note: 'x' });
    expect(await eventTypes(h, refund.id)).toEqual(['refund.created', 'refund.updated']);
  });

  it('a refund can fail later: amount given back to the charge, refund.failed and charge.refund.updated emitted', async () => {
    const receiver = await startReceiver();
    try {
      await h.stripe.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['refund.failed', 'charge.refund.updated'],
      });
      const pi = await paid();
      const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 500 });
      const failed = await h.control(`/refunds/${refund.id}/settle`, { outcome: 'failed' });
      expect(failed.body).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
      expect(failed.body.failure_balance_transaction).toMatch(/^txn_/);
      expect(await h.stripe.charges.retrieve(String(pi.latest_charge))).toMatchObject({ amount_refunded: 0 });
      const received = await receiver.waitFor(2);
      expect(received.map((r) => r.event.type).sort()).toEqual(['charge.refund.updated', 'refund.failed']);
      // The failed amount can be refunded again.
      expect((await h.stripe.refunds.create({ payment_intent: pi.id })).amount).toBe(2999);
      expect((await h.control(`/refunds/${refund.id}/settle`, { outcome: 'succeeded' })).status).toBe(400);
    } finally {
      await receiver.close();
    }
  });

  it('refunds may start pending and settle later', async () => {
    await h.control('/refunds/mode', { pending: true });
    try {
      const pi = await paid();
      const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
      expect(refund.status).toBe('pending');
      expect((await h.control(`/refunds/${refund.id}/settle`, { outcome: 'succeeded' })).body.status).toBe('succeeded');
      expect(await eventTypes(h, refund.id)).toEqual(['refund.created', 'refund.updated', 'charge.refund.updated']);
    } finally {
      await h.control('/refunds/mode', { pending: false });
    }
  });

  it('refunds of pm_card_refundFail succeed first and fail by themselves after the configured delay', async () => {
    const auto = await startEmulator({ asyncSettleDelayMs: 50 });
    try {
      const pi = await auto.stripe.paymentIntents.create({
        amount: 2000,
        currency: 'eur',
        payment_method: 'pm_card_refundFail',
        confirm: true,
      });
      const refund = await auto.stripe.refunds.create({ payment_intent: pi.id });
      expect(refund.status).toBe('succeeded');
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await auto.stripe.refunds.retrieve(refund.id)).toMatchObject({
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
      });
    } finally {
      await auto.close();
    }
  });
});
