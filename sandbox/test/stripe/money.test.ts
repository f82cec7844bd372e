import Stripe from 'stripe';
import { startEmulator, startReceiver, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const paid = (amount = 2999) =>
  h.stripe.paymentIntents.create({
    amount,
    currency: 'eur',
    payment_method: 'pm_card_visa',
    confirm: true,
    capture_method: 'automatic',
  });

describe('refunds', () => {
  it('refunds partially by payment_intent and by charge, capped at what remains', async () => {
    const pi = await paid();
    const first = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 1000 });
    expect(first).toMatchObject({
      object: 'refund',
      amount: 1000,
      status: 'succeeded',
      payment_intent: pi.id,
      charge: pi.latest_charge,
    });
    const second = await h.stripe.refunds.create({ charge: String(pi.latest_charge), amount: 999 });
    expect(second.amount).toBe(999);
    const over = h.stripe.refunds.create({ payment_intent: pi.id, amount: 1001 });
    await expect(over).rejects.toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    const rest = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(1000);
    await expect(h.stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
    });
    const charge = await h.stripe.charges.retrieve(String(pi.latest_charge), { expand: ['refunds'] });
    expect(charge).toMatchObject({ amount_refunded: 2999, refunded: true });
    expect(charge.refunds?.data.map((r) => r.amount).sort()).toEqual([1000, 1000, 999].sort());
    expect((await h.stripe.refunds.list({ payment_intent: pi.id })).data).toHaveLength(3);
    expect((await h.stripe.refunds.retrieve(first.id)).id).toBe(first.id);
  });

  it('refuses to refund an uncaptured authorization', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 2999,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
    });
    await expect(h.stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({
      statusCode: 400,
      code: 'charge_not_refundable',
    });
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
      expect((await h.stripe.charges.retrieve(String(pi.latest_charge))).amount_refunded).toBe(0);
      const received = await receiver.waitFor(2);
      expect(received.map((r) => r.event.type).sort()).toEqual(['charge.refund.updated', 'refund.failed']);
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
    } finally {
      await h.control('/refunds/mode', { pending: false });
    }
  });
});

describe('disputes', () => {
  it('opens a dispute on a charge (funds withdrawn) and closes it won or lost', async () => {
    const pi = await paid();
    const opened = await h.control(`/charges/${pi.latest_charge}/dispute`, { reason: 'fraudulent' });
    expect(opened.body).toMatchObject({
      object: 'dispute',
      amount: 2999,
      status: 'needs_response',
      payment_intent: pi.id,
      reason: 'fraudulent',
    });
    expect((await h.stripe.charges.retrieve(String(pi.latest_charge))).disputed).toBe(true);
    expect((await h.stripe.disputes.list({ payment_intent: pi.id })).data.map((d) => d.id)).toEqual([opened.body.id]);
    const won = await h.control(`/disputes/${opened.body.id}/close`, { outcome: 'won' });
    expect(won.body.status).toBe('won');
    expect(won.body.balance_transactions.map((b: Stripe.BalanceTransaction) => b.amount)).toEqual([-2999, 2999]);
    expect((await h.control(`/disputes/${opened.body.id}/close`, { outcome: 'lost' })).status).toBe(400);

    const other = await paid();
    const lost = await h.control(`/payment_intents/${other.id}/dispute`, {});
    expect((await h.control(`/disputes/${lost.body.id}/close`, { outcome: 'lost' })).body.status).toBe('lost');
    expect((await h.stripe.disputes.retrieve(lost.body.id)).status).toBe('lost');
  });
});

describe('dashboard actions bypass the connector', () => {
  it('capture, refund and cancel made in Stripe directly', async () => {
    const auth = await h.stripe.paymentIntents.create({
      amount: 2999,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
    });
    expect((await h.control(`/dashboard/payment_intents/${auth.id}/capture`, { amount: 2000 })).body).toMatchObject({
      status: 'succeeded',
      amount_received: 2000,
    });
    expect((await h.control(`/dashboard/payment_intents/${auth.id}/refund`, { amount: 500 })).body).toMatchObject({
      object: 'refund',
      amount: 500,
    });
    const other = await h.stripe.paymentIntents.create({
      amount: 2999,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
    });
    expect((await h.control(`/dashboard/payment_intents/${other.id}/cancel`)).body.status).toBe('canceled');
  });
});

describe('idempotency', () => {
  const raw = (path: string, body: string, key: string) =>
    fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${h.emulator.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': key,
      },
      body,
    });

  it('replays the first answer for the same key and parameters', async () => {
    const key = `k-${Date.now()}`;
    const first = await h.stripe.paymentIntents.create({ amount: 1234, currency: 'eur' }, { idempotencyKey: key });
    const second = await h.stripe.paymentIntents.create({ amount: 1234, currency: 'eur' }, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect((await h.stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.id === first.id)).toHaveLength(1);
  });

  it('replays a card error too (it was executed)', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1234, currency: 'eur' });
    const key = `decline-${Date.now()}`;
    const first = await raw(`/v1/payment_intents/${pi.id}/confirm`, 'payment_method=pm_card_chargeDeclined', key);
    const second = await raw(`/v1/payment_intents/${pi.id}/confirm`, 'payment_method=pm_card_chargeDeclined', key);
    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await h.stripe.charges.list({ payment_intent: pi.id })).data).toHaveLength(1);
  });

  it('answers 400 idempotency_error for the same key with other parameters', async () => {
    const key = `conflict-${Date.now()}`;
    await h.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' }, { idempotencyKey: key });
    await expect(
      h.stripe.paymentIntents.create({ amount: 2000, currency: 'eur' }, { idempotencyKey: key }),
    ).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
    });
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const key = `busy-${Date.now()}`;
    // The first request is executed, and its answer held back for 300 ms.
    expect(
      (await h.control('/faults', { method: 'POST', path: '/v1/payment_intents', delayMs: 300, phase: 'after' }))
        .status,
    ).toBe(201);
    const slow = raw('/v1/payment_intents', 'amount=1000&currency=eur', key);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const concurrent = await raw('/v1/payment_intents', 'amount=1000&currency=eur', key);
    expect(concurrent.status).toBe(409);
    expect(((await concurrent.json()) as { error: { type: string } }).error.type).toBe('idempotency_error');
    const first = (await (await slow).json()) as { id: string };
    const replay = (await (await raw('/v1/payment_intents', 'amount=1000&currency=eur', key)).json()) as { id: string };
    expect(replay.id).toBe(first.id);
  });
});

describe('customers, customer sessions, payment methods', () => {
  it('creates, updates, retrieves and searches customers by metadata', async () => {
    const tag = `ct-${Date.now()}`;
    const customer = await h.stripe.customers.create({ email: 'a@example.com', metadata: { ct_customer_id: tag } });
    expect((await h.stripe.customers.update(customer.id, { name: 'Sandra' })).name).toBe('Sandra');
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      email: 'a@example.com',
      name: 'Sandra',
    });
    const found = await h.stripe.customers.search({ query: `metadata['ct_customer_id']:'${tag}'` });
    expect(found.data.map((c) => c.id)).toEqual([customer.id]);
    const session = await h.stripe.customerSessions.create({
      customer: customer.id,
      components: { payment_element: { enabled: true } },
    });
    expect(session.client_secret).toMatch(/^cuss_secret_/);
  });

  it('retrieves test payment methods with card details', async () => {
    const pm = await h.stripe.paymentMethods.retrieve('pm_card_mastercard');
    expect(pm).toMatchObject({ type: 'card', card: { brand: 'mastercard', last4: '4444' } });
    await expect(h.stripe.paymentMethods.retrieve('pm_nope')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('faults and counters', () => {
  it('an injected 500 and 429 reach the SDK as Stripe errors, and the counters see them', async () => {
    await h.control('/counters', undefined, 'DELETE');
    await h.control('/faults', [
      { method: 'GET', path: '/v1/balance', status: 500 },
      { method: 'GET', path: '/v1/balance', status: 429 },
    ]);
    await expect(h.stripe.balance.retrieve()).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await expect(h.stripe.balance.retrieve()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    await expect(h.stripe.balance.retrieve()).resolves.toMatchObject({ object: 'balance' });
    const counters = await h.control('/counters', undefined, 'GET');
    expect(counters.body.byRoute['GET /v1/balance']).toEqual({ count: 3, statuses: { '500': 1, '429': 1, '200': 1 } });
  });
});
