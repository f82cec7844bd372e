import type { Payment } from '@commercetools/platform-sdk';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { control, ctControl, ordersOfCart, quiesce, startWiredProcessor, txView } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let auto: Processor;
let manual: Processor;

beforeAll(async () => {
  world = await startWorld();
  auto = await startWiredProcessor(world, {
    STRIPE_CAPTURE_METHOD: 'automatic',
    STRIPE_PAYMENT_METHOD_TYPES: 'card,sepa_debit',
    RECORD_STRIPE_EVENTS: 'all',
  });
  manual = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual' });
});
afterAll(async () => {
  await Promise.all([auto?.close(), manual?.close()]);
  await world?.stop();
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;

/** A paid (or authorized) checkout through the processor, the browser and the emulator; no confirm call. */
async function pay(
  p: Processor,
  options: { method?: string; component?: string; metadata?: Record<string, unknown> } = {},
) {
  const { sessionId, cartId } = await checkout(world, options.metadata ? { metadata: options.metadata } : {});
  const created = await call(`${p.url}/payments`, {
    session: sessionId,
    json: options.component ? { paymentComponent: options.component } : {},
  });
  expect(created.status).toBe(200);
  const confirmed = await browserConfirm(world, created.body.clientSecret, options.method ?? 'pm_card_visa');
  return {
    sessionId,
    cartId,
    paymentId: created.body.paymentReference as string,
    paymentIntentId: piIdOf(created.body.clientSecret),
    confirmed,
  };
}

const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);

describe('webhooks bring commercetools up to date', () => {
  it('card with automatic capture: Authorization, Charge, card details, event interactions, one Paid order (D24)', async () => {
    const { paymentId, paymentIntentId, cartId } = await pay(auto, {
      metadata: { futureOrderNumber: `ORD-${Date.now()}` },
    });
    await quiesce(world);
    const ct = await payment(auto, paymentId);
    const pi = await stripeFor(world).paymentIntents.retrieve(paymentIntentId);
    expect(txView(ct)).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999, interactionId: paymentIntentId },
      { type: 'Charge', state: 'Success', amount: 2999, interactionId: pi.latest_charge },
    ]);
    expect(ct.paymentMethodInfo.method).toBe('card');
    expect((ct.paymentMethodInfo as { custom?: { fields: Record<string, unknown> } }).custom?.fields).toEqual({
      brand: 'visa',
      lastFour: '4242',
      expiryMonth: 12,
      expiryYear: 2034,
    });
    // Ids and types only: never a payload (D22).
    const interactions = ct.interfaceInteractions.map((i) => i.fields);
    expect(interactions.map((f) => f.type)).toEqual(
      expect.arrayContaining(['payment_intent.succeeded', 'charge.succeeded']),
    );
    for (const fields of interactions) {
      expect(Object.keys(fields).sort()).toEqual(['createdAt', 'interactionId', 'type']);
    }
    const orders = await ordersOfCart(auto, cartId);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ paymentState: 'Paid', orderNumber: expect.stringMatching(/^ORD-/) });
  });

  it('by default only events that changed the payment are recorded; a redelivered event writes nothing', async () => {
    const { paymentId, paymentIntentId } = await pay(manual);
    await quiesce(world);
    const before = await payment(manual, paymentId);
    const recorded = before.interfaceInteractions.map((i) => i.fields.interactionId as string);
    // No confirm call here: the webhooks brought the authorization, so at least one is recorded.
    expect(recorded.length).toBeGreaterThanOrEqual(1);
    expect(new Set(recorded).size).toBe(recorded.length);
    const delivered = (
      await call(`${world.sandbox.info.stripe}/v1/events?limit=100`, {
        headers: { authorization: 'Bearer sk_test_sandbox' },
      })
    ).body.data as { id: string; data: { object: { id: string } } }[];
    const ofThisPayment = delivered.filter((e) => e.data.object.id === paymentIntentId);
    expect(ofThisPayment.length).toBeGreaterThanOrEqual(1);
    for (const event of ofThisPayment) {
      await call(`${world.sandbox.info.stripe}/_sandbox/webhooks/events/${event.id}/resend`, { json: {} });
    }
    await quiesce(world);
    const after = await payment(manual, paymentId);
    expect(after.version).toBe(before.version);
    expect(after.interfaceInteractions).toHaveLength(recorded.length);
  });

  it('D24 D25: manual capture gets its order at authorization; a capture in the dashboard reaches commercetools and the order becomes Paid', async () => {
    const { paymentId, paymentIntentId, cartId } = await pay(manual);
    await quiesce(world);
    expect(txView(await payment(manual, paymentId))).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999, interactionId: paymentIntentId },
    ]);
    const [order] = await ordersOfCart(manual, cartId);
    expect(order).toMatchObject({ paymentState: 'Pending' });

    await control(world, `/dashboard/payment_intents/${paymentIntentId}/capture`, { amount: 2000 });
    await quiesce(world);
    const ct = await payment(manual, paymentId);
    expect(txView(ct)).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999, interactionId: paymentIntentId },
      { type: 'CancelAuthorization', state: 'Success', amount: 999, interactionId: `${paymentIntentId}:release` },
      { type: 'Charge', state: 'Success', amount: 2000, interactionId: expect.stringMatching(/^ch_/) },
    ]);
    const orders = await ordersOfCart(manual, cartId);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.paymentState).toBe('Paid');
  });

  it('D05 D06 D25: two partial refunds in the dashboard are two Refund transactions, and no Chargeback', async () => {
    const { paymentId, paymentIntentId } = await pay(auto);
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/refund`, { amount: 1000 });
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/refund`, { amount: 500 });
    await quiesce(world);
    const refunds = txView(await payment(auto, paymentId)).filter(
      (t) => t.type !== 'Authorization' && t.type !== 'Charge',
    );
    expect(refunds).toHaveLength(2);
    expect(refunds.map((t) => [t.type, t.state, t.amount]).sort()).toEqual(
      [
        ['Refund', 'Success', 1000],
        ['Refund', 'Success', 500],
      ].sort(),
    );
    expect(new Set(refunds.map((t) => t.interactionId)).size).toBe(2);
  });

  it('a refund that fails later turns its transaction to Failure', async () => {
    const { paymentId, paymentIntentId } = await pay(auto);
    const refund = await control(world, `/dashboard/payment_intents/${paymentIntentId}/refund`, { amount: 700 });
    await quiesce(world);
    await control(world, `/refunds/${refund.id}/settle`, { outcome: 'failed' });
    await quiesce(world);
    expect(txView(await payment(auto, paymentId)).find((t) => t.type === 'Refund')).toMatchObject({
      state: 'Failure',
      amount: 700,
      interactionId: refund.id,
    });
  });

  it('D05: a dispute gives a Chargeback, never a Refund; losing it makes it final', async () => {
    const { paymentId, paymentIntentId } = await pay(auto);
    const dispute = await control(world, `/payment_intents/${paymentIntentId}/dispute`, {});
    await quiesce(world);
    let view = txView(await payment(auto, paymentId));
    expect(view.filter((t) => t.type === 'Refund')).toEqual([]);
    expect(view.find((t) => t.type === 'Chargeback')).toMatchObject({
      state: 'Pending',
      amount: 2999,
      interactionId: dispute.id,
    });
    await control(world, `/disputes/${dispute.id}/close`, { outcome: 'lost' });
    await quiesce(world);
    view = txView(await payment(auto, paymentId));
    expect(view.find((t) => t.type === 'Chargeback')).toMatchObject({ state: 'Success' });
  });

  it('D08: a cancel after authorization records the released amount', async () => {
    const { paymentId, paymentIntentId, cartId } = await pay(manual);
    await quiesce(world);
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/cancel`);
    await quiesce(world);
    expect(txView(await payment(manual, paymentId))).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999, interactionId: paymentIntentId },
      { type: 'CancelAuthorization', state: 'Success', amount: 2999, interactionId: `${paymentIntentId}:release` },
    ]);
    expect((await ordersOfCart(manual, cartId))[0]!.paymentState).toBe('Failed');
  });

  it('D16: an asynchronous payment stays Pending with no order until it settles', async () => {
    const { paymentId, paymentIntentId, cartId } = await pay(auto, {
      method: 'pm_sepa_debit',
      component: 'sepa_debit',
    });
    await quiesce(world);
    expect(txView(await payment(auto, paymentId))).toEqual([
      { type: 'Authorization', state: 'Pending', amount: 2999, interactionId: paymentIntentId },
    ]);
    expect(await ordersOfCart(auto, cartId)).toEqual([]);
    await control(world, `/payment_intents/${paymentIntentId}/settle`, { outcome: 'succeeded' });
    await quiesce(world);
    expect(txView(await payment(auto, paymentId)).map((t) => [t.type, t.state])).toEqual([
      ['Authorization', 'Success'],
      ['Charge', 'Success'],
    ]);
    expect(await ordersOfCart(auto, cartId)).toHaveLength(1);
  });

  it('no order for a declined or an abandoned payment', async () => {
    const declined = await pay(auto, { method: 'pm_card_chargeDeclined' });
    await quiesce(world);
    expect(txView(await payment(auto, declined.paymentId))).toEqual([
      expect.objectContaining({ type: 'Authorization', state: 'Failure' }),
    ]);
    expect(await ordersOfCart(auto, declined.cartId)).toEqual([]);
  });
});

describe('delivery in real life: duplicates, any order, failures', () => {
  async function finalState(setup: () => Promise<void>) {
    await setup();
    const { paymentId, paymentIntentId, cartId } = await pay(manual);
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/capture`, { amount: 2500 });
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/refund`, { amount: 300 });
    await control(world, '/webhooks/resume', { order: 'in_order' });
    await quiesce(world);
    await control(world, '/webhooks/settings', { copies: 1, order: 'in_order', dropNext: 0 });
    const view = txView(await payment(manual, paymentId)).map(({ interactionId: _id, ...rest }) => rest);
    return { view, orders: (await ordersOfCart(manual, cartId)).length };
  }

  it('every event three times, in reverse and shuffled order: the same commercetools payment and one order', async () => {
    const inOrder = await finalState(async () => {});
    const duplicated = await finalState(async () => void (await control(world, '/webhooks/settings', { copies: 3 })));
    const reversed = await finalState(async () => {
      await control(world, '/webhooks/pause');
      await control(world, '/webhooks/settings', { order: 'reverse' });
    });
    const shuffled = await finalState(async () => {
      await control(world, '/webhooks/settings', { copies: 2 });
      await control(world, '/webhooks/pause');
      await control(world, '/webhooks/settings', { order: 'shuffle' });
    });
    expect(inOrder.view).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999 },
      { type: 'CancelAuthorization', state: 'Success', amount: 499 },
      { type: 'Charge', state: 'Success', amount: 2500 },
      { type: 'Refund', state: 'Success', amount: 300 },
    ]);
    for (const other of [duplicated, reversed, shuffled]) expect(other).toEqual(inOrder);
    expect(inOrder.orders).toBe(1);
  });

  it('D01: while commercetools fails the webhook answers 5xx, and the retries converge once it recovers', async () => {
    const { paymentId, paymentIntentId } = await pay(auto);
    await quiesce(world);
    // More failures than the commercetools client's own retries absorb (four tries per call).
    await ctControl(world, '/faults', {
      method: 'POST',
      path: `/sandbox/payments/${paymentId}`,
      status: 503,
      times: 24,
    });
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/refund`, { amount: 400 });
    // The emulator's retry schedule alone takes about 12 s to outlast 24 failures: the wait allows
    // for a loaded machine (the assertions below are what counts).
    await quiesce(world, 40_000);
    const attempts = (await call(`${world.sandbox.info.stripe}/_sandbox/webhooks/status`)).body.attempts as {
      type: string;
      status: number;
    }[];
    const refundAttempts = attempts.filter((a) => a.type === 'refund.created' || a.type === 'charge.refunded');
    expect(refundAttempts.some((a) => a.status === 503)).toBe(true);
    expect(refundAttempts.some((a) => a.status === 200)).toBe(true);
    expect(txView(await payment(auto, paymentId)).find((t) => t.type === 'Refund')).toMatchObject({
      state: 'Success',
      amount: 400,
    });
  }, 60_000);

  it('D01: a storm of version conflicts is retried until it applies', async () => {
    const { paymentId, paymentIntentId } = await pay(auto);
    await quiesce(world);
    // More conflicts than the processor's own re-read-and-retry absorbs (five tries).
    await ctControl(world, '/faults', {
      method: 'POST',
      path: `/sandbox/payments/${paymentId}`,
      status: 409,
      times: 14,
    });
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/refund`, { amount: 100 });
    await quiesce(world);
    const attempts = (await call(`${world.sandbox.info.stripe}/_sandbox/webhooks/status`)).body.attempts as {
      type: string;
      status: number;
    }[];
    expect(
      attempts.filter((a) => a.type === 'refund.created' || a.type === 'charge.refunded').some((a) => a.status === 503),
    ).toBe(true);
    expect(txView(await payment(auto, paymentId)).find((t) => t.type === 'Refund')).toMatchObject({
      state: 'Success',
      amount: 100,
    });
  });

  it('a payment changed by another process since this one wrote it: the sync re-reads it and applies', async () => {
    const { paymentId, paymentIntentId } = await pay(manual);
    await quiesce(world);
    // Another processor instance (its own memory) writes the payment: this one's copy is outdated.
    const elsewhere = await payment(auto, paymentId);
    await auto.deps.sdk.ctAPI.payment.updatePayment({
      resource: { id: paymentId, version: elsewhere.version },
      actions: [{ action: 'setStatusInterfaceText', interfaceText: 'noted elsewhere' }],
    });
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/capture`, { amount: 2999 });
    await quiesce(world);
    const ct = await payment(manual, paymentId);
    expect(txView(ct).map(({ interactionId: _i, ...rest }) => rest)).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999 },
      { type: 'Charge', state: 'Success', amount: 2999 },
    ]);
    expect(ct.paymentStatus.interfaceText).toBe('noted elsewhere');
  });

  it('orders: two deliveries at once still make exactly one order', async () => {
    await control(world, '/webhooks/settings', { copies: 4 });
    try {
      const { cartId } = await pay(auto);
      await quiesce(world);
      expect(await ordersOfCart(auto, cartId)).toHaveLength(1);
    } finally {
      await control(world, '/webhooks/settings', { copies: 1 });
    }
  });
});

describe('logs (D22)', () => {
  it('contain no secret key, webhook secret, client secret or raw payload', () => {
    const logs = [auto, manual].flatMap((p) => p.logs).join('\n');
    expect(logs).toContain('webhook applied');
    expect(logs).not.toContain('sk_test_sandbox');
    expect(logs).not.toMatch(/whsec_/);
    expect(logs).not.toMatch(/_secret_[A-Za-z0-9]/);
    expect(logs).not.toContain('"object":"payment_intent"');
    // No card data: card fields never appear (a bare "4242" could be part of a timestamp).
    expect(logs).not.toMatch(/last4|lastFour|exp_month|expiryMonth/);
  });
});
