import type { Payment } from '@commercetools/platform-sdk';
import { browserConfirm, counters, resetCounters, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { control, quiesce, startWiredProcessor, txView } from '../../testing/wired';
import { call, checkout, type Processor, startWorld, type World } from '../../testing/world';

let world: World;
let manual: Processor;
let multi: Processor;
let auto: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  manual = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual', CREATE_ORDERS: 'false' });
  multi = await startWiredProcessor(world, {
    STRIPE_CAPTURE_METHOD: 'manual',
    STRIPE_ENABLE_MULTICAPTURE: 'true',
    CREATE_ORDERS: 'false',
  });
  auto = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic', CREATE_ORDERS: 'false' });
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await Promise.all([manual?.close(), multi?.close(), auto?.close()]);
  await world?.stop();
});

async function paid(p: Processor) {
  const { sessionId } = await checkout(world);
  const created = await call(`${p.url}/payments`, { session: sessionId, json: {} });
  await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  await quiesce(world);
  return {
    paymentId: created.body.paymentReference as string,
    paymentIntentId: (created.body.clientSecret as string).split('_secret_')[0]!,
  };
}

let keys = 0;
/** Each call is a distinct operation (its own Idempotency-Key), as a caller sending repeats on purpose does. */
const op = (p: Processor, paymentId: string, action: Record<string, unknown>) =>
  call(`${p.url}/operations/payment-intents/${paymentId}`, {
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': `test-operation-${++keys}` },
    json: { actions: [action] },
  });
/** Without a key: a retry of the same body is the same operation (see docs/payment-model.md). */
const keyless = (p: Processor, paymentId: string, action: Record<string, unknown>) =>
  call(`${p.url}/operations/payment-intents/${paymentId}`, {
    headers: { authorization: `Bearer ${token}` },
    json: { actions: [action] },
  });
const eur = (centAmount: number) => ({ centAmount, currencyCode: 'EUR' });
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);
const view = async (p: Processor, id: string) =>
  txView(await payment(p, id)).map(({ interactionId: _i, ...rest }) => rest);

describe('capturePayment', () => {
  it('full capture: approved, Charge recorded', async () => {
    const { paymentId } = await paid(manual);
    expect((await op(manual, paymentId, { action: 'capturePayment', amount: eur(2999) })).body).toEqual({
      outcome: 'approved',
    });
    expect(await view(manual, paymentId)).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999 },
      { type: 'Charge', state: 'Success', amount: 2999 },
    ]);
  });

  it('D07: a partial capture works without any multicapture option, and releases the rest', async () => {
    const { paymentId } = await paid(manual);
    expect((await op(manual, paymentId, { action: 'capturePayment', amount: eur(1000) })).body.outcome).toBe(
      'approved',
    );
    expect(await view(manual, paymentId)).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999 },
      { type: 'CancelAuthorization', state: 'Success', amount: 1999 },
      { type: 'Charge', state: 'Success', amount: 1000 },
    ]);
  });

  it('two partial captures with multicapture: two Charge transactions', async () => {
    const { paymentId } = await paid(multi);
    expect((await op(multi, paymentId, { action: 'capturePayment', amount: eur(1000) })).body.outcome).toBe('approved');
    expect((await op(multi, paymentId, { action: 'capturePayment', amount: eur(1999) })).body.outcome).toBe('approved');
    await quiesce(world);
    const charges = (await view(multi, paymentId)).filter((t) => t.type === 'Charge');
    expect(charges).toEqual([
      { type: 'Charge', state: 'Success', amount: 1000 },
      { type: 'Charge', state: 'Success', amount: 1999 },
    ]);
  });

  it("records the capture from Stripe's answer: one read before, the capture, no read after", async () => {
    const { paymentId } = await paid(manual);
    await control(world, '/webhooks/pause');
    try {
      await resetCounters(world);
      expect((await op(manual, paymentId, { action: 'capturePayment', amount: eur(2999) })).body.outcome).toBe(
        'approved',
      );
      const byRoute = Object.fromEntries(
        Object.entries((await counters(world, 'stripe')).byRoute).map(([route, { count }]) => [route, count]),
      );
      expect(byRoute).toEqual({
        'GET /v1/payment_intents/:id': 1,
        'GET /v1/refunds': 1,
        'POST /v1/payment_intents/:id/capture': 1,
      });
      expect(await view(manual, paymentId)).toEqual([
        { type: 'Authorization', state: 'Success', amount: 2999 },
        { type: 'Charge', state: 'Success', amount: 2999 },
      ]);
    } finally {
      await control(world, '/webhooks/resume');
    }
  });

  it('over-capture is rejected without calling Stripe', async () => {
    const { paymentId } = await paid(manual);
    await resetCounters(world);
    const res = await op(manual, paymentId, { action: 'capturePayment', amount: eur(5000) });
    expect(res.body).toMatchObject({ outcome: 'rejected', errors: [{ code: 'InvalidAmount' }] });
    expect((await counters(world, 'stripe')).byRoute['POST /v1/payment_intents/:id/capture']).toBeUndefined();
  });
});

describe('refundPayment', () => {
  it('two partial refunds, then an over-refund is rejected', async () => {
    const { paymentId } = await paid(auto);
    expect((await op(auto, paymentId, { action: 'refundPayment', amount: eur(1000) })).body.outcome).toBe('approved');
    expect((await op(auto, paymentId, { action: 'refundPayment', amount: eur(1000) })).body.outcome).toBe('approved');
    const over = await op(auto, paymentId, { action: 'refundPayment', amount: eur(1000) });
    expect(over.body).toMatchObject({ outcome: 'rejected', errors: [{ code: 'InvalidAmount' }] });
    await quiesce(world);
    expect((await view(auto, paymentId)).filter((t) => t.type === 'Refund')).toEqual([
      { type: 'Refund', state: 'Success', amount: 1000 },
      { type: 'Refund', state: 'Success', amount: 1000 },
    ]);
  });

  it('a refund naming a capture is capped at that capture', async () => {
    const { paymentId } = await paid(multi);
    await op(multi, paymentId, { action: 'capturePayment', amount: eur(1000) });
    await op(multi, paymentId, { action: 'capturePayment', amount: eur(1999) });
    const first = (await payment(multi, paymentId)).transactions.find(
      (t) => t.type === 'Charge' && t.amount.centAmount === 1000,
    )!;
    expect(
      (await op(multi, paymentId, { action: 'refundPayment', amount: eur(1500), transactionId: first.id })).body,
    ).toMatchObject({ outcome: 'rejected' });
    expect(
      (await op(multi, paymentId, { action: 'refundPayment', amount: eur(800), transactionId: first.id })).body.outcome,
    ).toBe('approved');
    expect(
      (await op(multi, paymentId, { action: 'refundPayment', amount: eur(300), transactionId: first.id })).body,
    ).toMatchObject({ outcome: 'rejected' });
  });
});

describe('cancelPayment and reversePayment', () => {
  it('cancel releases an uncaptured authorization; a captured payment cannot be cancelled', async () => {
    const { paymentId } = await paid(manual);
    expect((await op(manual, paymentId, { action: 'cancelPayment' })).body.outcome).toBe('approved');
    expect(await view(manual, paymentId)).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999 },
      { type: 'CancelAuthorization', state: 'Success', amount: 2999 },
    ]);
    const captured = await paid(auto);
    expect((await op(auto, captured.paymentId, { action: 'cancelPayment' })).body).toMatchObject({
      outcome: 'rejected',
    });
  });

  it('reverse refunds what was captured, or cancels the authorization; nothing to reverse is rejected', async () => {
    const captured = await paid(auto);
    expect((await op(auto, captured.paymentId, { action: 'reversePayment' })).body.outcome).toBe('approved');
    expect((await view(auto, captured.paymentId)).find((t) => t.type === 'Refund')).toEqual({
      type: 'Refund',
      state: 'Success',
      amount: 2999,
    });
    expect((await op(auto, captured.paymentId, { action: 'reversePayment' })).body).toMatchObject({
      outcome: 'rejected',
      errors: [{ code: 'InvalidOperation' }],
    });

    const authorized = await paid(manual);
    expect((await op(manual, authorized.paymentId, { action: 'reversePayment' })).body.outcome).toBe('approved');
    expect((await view(manual, authorized.paymentId)).find((t) => t.type === 'CancelAuthorization')).toEqual({
      type: 'CancelAuthorization',
      state: 'Success',
      amount: 2999,
    });
  });
});

describe('idempotency and failures', () => {
  it('D03: a capture whose answer was lost, retried with the same body, captures once', async () => {
    const { paymentId, paymentIntentId } = await paid(manual);
    // Stripe captures, but the answer is lost on the way back; stripe-node retries with the same key.
    await control(world, '/faults', {
      method: 'POST',
      path: `/v1/payment_intents/${paymentIntentId}/capture`,
      status: 500,
      times: 1,
      phase: 'after',
    });
    await resetCounters(world);
    expect((await op(manual, paymentId, { action: 'capturePayment', amount: eur(2999) })).body.outcome).toBe(
      'approved',
    );
    const stripe = await counters(world, 'stripe');
    expect(stripe.byRoute['POST /v1/payment_intents/:id/capture']).toEqual({
      count: 2,
      statuses: { '500': 1, '200': 1 },
    });
    const pi = await stripeFor(world).paymentIntents.retrieve(paymentIntentId);
    expect(pi.amount_received).toBe(2999);
    expect((await view(manual, paymentId)).filter((t) => t.type === 'Charge')).toEqual([
      { type: 'Charge', state: 'Success', amount: 2999 },
    ]);
  });

  it('D03: the same refund request repeated after a commercetools failure refunds once', async () => {
    const { paymentId } = await paid(auto);
    // Webhooks held back, so that only the operation writes to commercetools meanwhile.
    await control(world, '/webhooks/pause');
    try {
      // commercetools refuses the write after Stripe refunded (all four tries of its client): the
      // operation fails, and the caller retries it with the same body.
      await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, {
        json: { method: 'POST', path: `/sandbox/payments/${paymentId}`, status: 503, times: 4 },
      });
      const first = await keyless(auto, paymentId, { action: 'refundPayment', amount: eur(500) });
      expect(first.status).toBeGreaterThanOrEqual(500);
      const again = await keyless(auto, paymentId, { action: 'refundPayment', amount: eur(500) });
      expect(again.body.outcome).toBe('approved');
    } finally {
      await control(world, '/webhooks/resume');
    }
    const refunds = await stripeFor(world).refunds.list({
      payment_intent: (await payment(auto, paymentId)).interfaceId!,
    });
    expect(refunds.data.map((r) => r.amount)).toEqual([500]);
  });

  it('a dashboard refund of the same amount, not yet recorded, is not taken for an earlier attempt', async () => {
    const { paymentId, paymentIntentId } = await paid(auto);
    await control(world, '/webhooks/pause');
    try {
      // Made in the Stripe dashboard (no connector metadata); its webhook has not arrived yet.
      await stripeFor(world).refunds.create({ payment_intent: paymentIntentId, amount: 500 });
      const res = await op(auto, paymentId, { action: 'refundPayment', amount: eur(500) });
      expect(res.body.outcome).toBe('approved');
    } finally {
      await control(world, '/webhooks/resume');
    }
    await quiesce(world);
    const refunds = await stripeFor(world).refunds.list({ payment_intent: paymentIntentId });
    expect(refunds.data.map((r) => r.amount)).toEqual([500, 500]);
    expect((await view(auto, paymentId)).filter((t) => t.type === 'Refund')).toEqual([
      { type: 'Refund', state: 'Success', amount: 500 },
      { type: 'Refund', state: 'Success', amount: 500 },
    ]);
  });

  it("D02: a Stripe refusal is rejected and recorded as a Failure transaction with Stripe's code", async () => {
    const { paymentId, paymentIntentId } = await paid(manual);
    await control(world, '/faults', {
      method: 'POST',
      path: `/v1/payment_intents/${paymentIntentId}/capture`,
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'charge_expired_for_capture',
          message: 'The charge has expired.',
        },
      },
    });
    const res = await op(manual, paymentId, { action: 'capturePayment', amount: eur(2999) });
    expect(res.body).toEqual({
      outcome: 'rejected',
      errors: [{ code: 'charge_expired_for_capture', message: 'The charge has expired.' }],
    });
    const ct = await payment(manual, paymentId);
    expect(ct.transactions.find((t) => t.type === 'Charge')).toMatchObject({
      state: 'Failure',
      amount: { centAmount: 2999 },
    });
    expect(ct.paymentStatus.interfaceText).toContain('charge_expired_for_capture');
  });

  it('D03: a capture sent again after it was answered is a new request: nothing left to capture, Stripe is not asked; a second cancel is approved', async () => {
    const captured = await paid(manual);
    expect((await op(manual, captured.paymentId, { action: 'capturePayment', amount: eur(2999) })).body.outcome).toBe(
      'approved',
    );
    await resetCounters(world);
    expect((await op(manual, captured.paymentId, { action: 'capturePayment', amount: eur(2999) })).body).toMatchObject({
      outcome: 'rejected',
      errors: [{ code: 'InvalidOperation' }],
    });
    expect((await counters(world, 'stripe')).byRoute['POST /v1/payment_intents/:id/capture']).toBeUndefined();
    expect((await view(manual, captured.paymentId)).filter((t) => t.type === 'Charge')).toEqual([
      { type: 'Charge', state: 'Success', amount: 2999 },
    ]);

    const cancelled = await paid(manual);
    expect((await op(manual, cancelled.paymentId, { action: 'cancelPayment' })).body.outcome).toBe('approved');
    expect((await op(manual, cancelled.paymentId, { action: 'cancelPayment' })).body.outcome).toBe('approved');
    expect((await view(manual, cancelled.paymentId)).filter((t) => t.type === 'CancelAuthorization')).toHaveLength(1);
    await quiesce(world);
  });

  it('unknown payments answer 404; malformed actions 400', async () => {
    expect((await op(manual, '00000000-0000-0000-0000-000000000000', { action: 'cancelPayment' })).status).toBe(404);
    expect((await op(manual, '00000000-0000-0000-0000-000000000000', { action: 'explode' })).status).toBe(400);
    expect(
      (
        await op(manual, '00000000-0000-0000-0000-000000000000', {
          action: 'capturePayment',
          amount: { centAmount: -1, currencyCode: 'EUR' },
        })
      ).status,
    ).toBe(400);
  });
});
