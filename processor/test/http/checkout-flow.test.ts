import type { Payment } from '@commercetools/platform-sdk';
import { browserConfirm, counters, resetCounters, stripeFor } from '../../testing/stripe';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;
let manual: Processor;

beforeAll(async () => {
  world = await startWorld();
  [processor, manual] = await Promise.all([
    startProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' }),
    startProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual' }),
  ]);
});
afterAll(async () => {
  await Promise.all([processor?.close(), manual?.close()]);
  await world?.stop();
});

async function createPayment(p: Processor, sessionId: string, body: Record<string, unknown> = {}) {
  const res = await call(`${p.url}/payments`, { session: sessionId, json: body });
  expect(res.status).toBe(200);
  return res.body as { clientSecret: string; paymentReference: string; cartId: string; merchantReturnUrl: string };
}

const confirm = (p: Processor, sessionId: string, ref: string, body: Record<string, unknown> = {}) =>
  call(`${p.url}/confirmPayments/${ref}`, { session: sessionId, json: body });

async function ctPayment(p: Processor, id: string): Promise<Payment> {
  return p.deps.sdk.ctAPI.payment.getPaymentById(id);
}

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
const txs = (payment: Payment) =>
  payment.transactions.map((t) => ({
    type: t.type,
    state: t.state,
    amount: t.amount.centAmount,
    interactionId: t.interactionId,
  }));

describe('create → confirm', () => {
  it('pm_card_visa with automatic capture: approved, Authorization and Charge recorded', async () => {
    const { sessionId, cartId } = await checkout(world);
    const created = await createPayment(processor, sessionId);
    expect(created).toMatchObject({
      cartId,
      merchantReturnUrl: 'http://localhost:3000/return',
      paymentReference: expect.any(String),
    });
    const pi = await browserConfirm(world, created.clientSecret, 'pm_card_visa');
    expect(pi).toMatchObject({ status: 'succeeded' });

    const res = await confirm(processor, sessionId, created.paymentReference, {
      paymentIntent: piIdOf(created.clientSecret),
    });
    expect(res.body).toMatchObject({
      outcome: 'approved',
      paymentReference: created.paymentReference,
      paymentIntentStatus: 'succeeded',
    });
    const payment = await ctPayment(processor, created.paymentReference);
    const charge = (await stripeFor(world).paymentIntents.retrieve(piIdOf(created.clientSecret))).latest_charge;
    expect(txs(payment)).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999, interactionId: piIdOf(created.clientSecret) },
      { type: 'Charge', state: 'Success', amount: 2999, interactionId: charge },
    ]);
    expect(payment.paymentMethodInfo.method).toBe('card');
    expect(payment.interfaceId).toBe(piIdOf(created.clientSecret));
  });

  it('manual capture: approved with an Authorization only', async () => {
    const { sessionId } = await checkout(world);
    const created = await createPayment(manual, sessionId);
    const stripePi = await stripeFor(world).paymentIntents.retrieve(piIdOf(created.clientSecret));
    expect(stripePi.capture_method).toBe('manual');
    await browserConfirm(world, created.clientSecret, 'pm_card_visa');
    const res = await confirm(manual, sessionId, created.paymentReference);
    expect(res.body).toMatchObject({ outcome: 'approved', paymentIntentStatus: 'requires_capture' });
    expect(txs(await ctPayment(manual, created.paymentReference))).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999, interactionId: stripePi.id },
    ]);
  });

  it('a decline is rejected with card_declined and its decline code; a retry with a good card is approved', async () => {
    const { sessionId } = await checkout(world);
    const created = await createPayment(processor, sessionId);
    const declined = await browserConfirm(world, created.clientSecret, 'pm_card_chargeDeclined');
    expect(declined).toMatchObject({ code: 'card_declined' });
    const rejected = await confirm(processor, sessionId, created.paymentReference);
    expect(rejected.body).toMatchObject({
      outcome: 'rejected',
      errorCode: 'card_declined',
      declineCode: 'generic_decline',
    });
    expect(txs(await ctPayment(processor, created.paymentReference))).toEqual([
      expect.objectContaining({ type: 'Authorization', state: 'Failure' }),
    ]);

    const again = await createPayment(processor, sessionId);
    expect(again.paymentReference).toBe(created.paymentReference);
    await browserConfirm(world, again.clientSecret, 'pm_card_visa');
    expect((await confirm(processor, sessionId, again.paymentReference)).body.outcome).toBe('approved');
    expect(txs(await ctPayment(processor, created.paymentReference))[0]).toMatchObject({
      type: 'Authorization',
      state: 'Success',
    });
  });

  it('authentication required: not approved until the challenge is completed', async () => {
    const { sessionId } = await checkout(world);
    const created = await createPayment(processor, sessionId);
    await browserConfirm(world, created.clientSecret, 'pm_card_authenticationRequired');
    const waiting = await confirm(processor, sessionId, created.paymentReference);
    expect(waiting.body).toMatchObject({
      outcome: 'rejected',
      errorCode: 'authentication_required',
      paymentIntentStatus: 'requires_action',
    });
    expect((await ctPayment(processor, created.paymentReference)).transactions).toEqual([]);

    await call(`${world.sandbox.info.stripe}/_sandbox/payment_intents/${piIdOf(created.clientSecret)}/authenticate`, {
      json: { client_secret: created.clientSecret, outcome: 'succeed' },
    });
    expect((await confirm(processor, sessionId, created.paymentReference)).body.outcome).toBe('approved');
  });

  it('an asynchronous method is pending, with a Pending Authorization', async () => {
    const { sessionId } = await checkout(world);
    const async = await startProcessor(world, { STRIPE_PAYMENT_METHOD_TYPES: 'card,sepa_debit' });
    try {
      const created = await createPayment(async, sessionId, { paymentComponent: 'sepa_debit' });
      await browserConfirm(world, created.clientSecret, 'pm_sepa_debit');
      const res = await confirm(async, sessionId, created.paymentReference);
      expect(res.body).toMatchObject({ outcome: 'pending', paymentIntentStatus: 'processing' });
      expect(txs(await ctPayment(async, created.paymentReference))).toEqual([
        expect.objectContaining({ type: 'Authorization', state: 'Pending' }),
      ]);
    } finally {
      await async.close();
    }
  });
});

describe('D17: creating a payment is a POST that reuses the open PaymentIntent', () => {
  it('D17: repeated POST /payments for the same cart gives the same PaymentIntent and commercetools payment', async () => {
    const { sessionId, cartId } = await checkout(world);
    const first = await createPayment(processor, sessionId);
    const second = await createPayment(processor, sessionId);
    expect(second.paymentReference).toBe(first.paymentReference);
    expect(piIdOf(second.clientSecret)).toBe(piIdOf(first.clientSecret));
    const cart = await processor.deps.sdk.ctAPI.cart.getCartById(cartId);
    expect(cart.paymentInfo?.payments.map((p) => p.id)).toEqual([first.paymentReference]);
    const found = await stripeFor(world).paymentIntents.search({ query: `metadata['ct_cart_id']:'${cartId}'` });
    expect(found.data).toHaveLength(1);
  });

  it('D17: a GET /payments does not exist (no state change on GET)', async () => {
    const { sessionId } = await checkout(world);
    expect((await call(`${processor.url}/payments`, { session: sessionId })).status).toBe(404);
  });

  it('D17: a changed cart total updates the same PaymentIntent in place', async () => {
    const { sessionId, cartId } = await checkout(world);
    const first = await createPayment(processor, sessionId);
    const cart = await processor.deps.sdk.ctAPI.cart.getCartById(cartId);
    await processor.deps.sdk.ctAPI.client
      .carts()
      .withId({ ID: cartId })
      .post({
        body: {
          version: cart.version,
          actions: [{ action: 'changeLineItemQuantity', lineItemId: cart.lineItems[0]!.id, quantity: 2 }],
        },
      })
      .execute();
    const second = await createPayment(processor, sessionId);
    expect(piIdOf(second.clientSecret)).toBe(piIdOf(first.clientSecret));
    expect(second.paymentReference).toBe(first.paymentReference);
    expect((await stripeFor(world).paymentIntents.retrieve(piIdOf(first.clientSecret))).amount).toBe(2 * 2500 + 499);
    expect((await ctPayment(processor, first.paymentReference)).amountPlanned.centAmount).toBe(2 * 2500 + 499);
  });
});

describe('D03 D04 D23: Stripe writes', () => {
  it('D04: the PaymentIntent carries the commercetools ids from the create call itself (the payment by its key, made alongside)', async () => {
    const { sessionId, cartId } = await checkout(world);
    await resetCounters(world);
    const created = await createPayment(processor, sessionId);
    const stripeCalls = await counters(world, 'stripe');
    // One write made the PaymentIntent; no metadata update afterwards.
    expect(stripeCalls.byRoute['POST /v1/payment_intents']?.count).toBe(1);
    expect(stripeCalls.byRoute['POST /v1/payment_intents/:id']).toBeUndefined();
    const pi = await stripeFor(world).paymentIntents.retrieve(piIdOf(created.clientSecret));
    const payment = await ctPayment(processor, created.paymentReference);
    expect(payment.key).toMatch(new RegExp(`^${cartId}-\\d+$`));
    expect(pi.metadata).toEqual({
      ct_payment_key: payment.key,
      ct_cart_id: cartId,
      ct_project_key: 'sandbox',
    });
  });

  it("the cart's email is the receipt address when Stripe can take it; a malformed one is left out, not a failed payment", async () => {
    const good = await createPayment(processor, (await checkout(world, { email: 'jenny@example.com' })).sessionId);
    const stripe = stripeFor(world);
    expect((await stripe.paymentIntents.retrieve(piIdOf(good.clientSecret))).receipt_email).toBe('jenny@example.com');
    // commercetools keeps any string as a cart's email; Stripe refuses a malformed one (email_invalid).
    const bad = await createPayment(processor, (await checkout(world, { email: 'jenny at example' })).sessionId);
    expect((await stripe.paymentIntents.retrieve(piIdOf(bad.clientSecret))).receipt_email).toBeNull();
  });

  it('D03: a lost answer to the create call is retried with the same idempotency key: one PaymentIntent', async () => {
    const { sessionId, cartId } = await checkout(world);
    // The first create is executed by Stripe, but its answer is lost on the way back.
    const res = await call(`${world.sandbox.info.stripe}/_sandbox/faults`, {
      json: { method: 'POST', path: '/v1/payment_intents', status: 500, times: 1, phase: 'after' },
    });
    expect(res.status).toBe(201);
    await resetCounters(world);
    const created = await createPayment(processor, sessionId);
    expect((await counters(world, 'stripe')).byRoute['POST /v1/payment_intents']).toEqual({
      count: 2,
      statuses: { '500': 1, '200': 1 },
    });
    const found = await stripeFor(world).paymentIntents.search({ query: `metadata['ct_cart_id']:'${cartId}'` });
    expect(found.data.map((p) => p.id)).toEqual([piIdOf(created.clientSecret)]);
  });

  it('a payment left without its PaymentIntent (every Stripe answer lost) is finished by the next attempt: one PaymentIntent, one payment', async () => {
    const { sessionId, cartId } = await checkout(world);
    // Stripe creates the PaymentIntent, but none of the client's three tries gets an answer back.
    await call(`${world.sandbox.info.stripe}/_sandbox/faults`, {
      json: { method: 'POST', path: '/v1/payment_intents', status: 500, times: 3, phase: 'after' },
    });
    const failed = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    // The next attempt (or a concurrent one) finishes that payment with the same idempotency keys:
    // Stripe answers the PaymentIntent it made for it instead of making a second one.
    const adopted = await createPayment(processor, sessionId);
    const payment = await ctPayment(processor, adopted.paymentReference);
    expect(payment.interfaceId).toBe(piIdOf(adopted.clientSecret));
    const found = await stripeFor(world).paymentIntents.search({ query: `metadata['ct_cart_id']:'${cartId}'` });
    expect(found.data.map((p) => p.id)).toEqual([payment.interfaceId]);
    expect(found.data[0]!.metadata.ct_payment_key).toBe(payment.key);
    const cart = await processor.deps.sdk.ctAPI.cart.getCartById(cartId);
    expect(cart.paymentInfo?.payments.map((p) => p.id)).toEqual([payment.id]);
  });

  it('the payment and its PaymentIntent are made at the same time: when commercetools refuses the payment, the next attempt gets the same PaymentIntent back', async () => {
    const { sessionId, cartId } = await checkout(world);
    const ct = world.sandbox.info.commercetools;
    await call(`${ct}/_sandbox/faults`, {
      json: { method: 'POST', path: '/sandbox/payments', status: 503, times: 20 },
    });
    let failed;
    try {
      failed = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
    } finally {
      await call(`${ct}/_sandbox/faults`, { method: 'DELETE' });
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const search = async () =>
      (await stripeFor(world).paymentIntents.search({ query: `metadata['ct_cart_id']:'${cartId}'` })).data;
    const [orphan, ...others] = await search();
    expect(others).toEqual([]);
    // Nobody holds its client secret: it names a payment that does not exist yet.
    expect(orphan!.metadata.ct_payment_key).toMatch(new RegExp(`^${cartId}-\\d+$`));

    const created = await createPayment(processor, sessionId);
    expect(piIdOf(created.clientSecret)).toBe(orphan!.id);
    const payment = await ctPayment(processor, created.paymentReference);
    expect(payment).toMatchObject({ key: orphan!.metadata.ct_payment_key, interfaceId: orphan!.id });
    expect((await search()).map((p) => p.id)).toEqual([orphan!.id]);
  });

  it('a request that read the cart before a twin made, linked and got paid its payment never hands out that PaymentIntent again', async () => {
    const { sessionId, cartId } = await checkout(world);
    const ct = world.sandbox.info.commercetools;
    // The late request's cart read is answered 1.5 s late: it sees the cart before the twin's payment.
    await call(`${ct}/_sandbox/faults`, {
      json: { method: 'GET', path: `/sandbox/carts/${cartId}`, delayMs: 1500, phase: 'after', times: 1 },
    });
    try {
      const late = call(`${processor.url}/payments`, { session: sessionId, json: {} });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const twin = await createPayment(processor, sessionId);
      expect(await browserConfirm(world, twin.clientSecret, 'pm_card_visa')).not.toBeInstanceOf(Error);
      const answer = await late;
      // The same cart version names the same payment (its key), already linked and paid: the
      // late request must not answer "pay this" with the paid PaymentIntent's secret.
      expect('clientSecret' in answer.body).toBe(false);
      expect([400, 409]).toContain(answer.status);
    } finally {
      await call(`${ct}/_sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('a request that finds the payment on the cart not linked yet, and whose link lands after the twin linked it and the shopper paid, hands out nothing', async () => {
    const { sessionId } = await checkout(world);
    const ct = world.sandbox.info.commercetools;
    // The twin's link lands after 1 s; the late request's link after 3 s (after the shopper paid).
    await call(`${ct}/_sandbox/faults`, {
      json: [
        { method: 'POST', path: '/sandbox/payments/*', delayMs: 1000, times: 1 },
        { method: 'POST', path: '/sandbox/payments/*', delayMs: 3000, times: 1 },
      ],
    });
    try {
      const twin = call(`${processor.url}/payments`, { session: sessionId, json: {} });
      // The twin's payment is on the cart, its link still on the way.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const late = call(`${processor.url}/payments`, { session: sessionId, json: {} });
      const paid = await twin;
      expect(paid.status).toBe(200);
      expect(await browserConfirm(world, paid.body.clientSecret, 'pm_card_visa')).not.toBeInstanceOf(Error);
      expect((await confirm(processor, sessionId, paid.body.paymentReference)).body.outcome).toBe('approved');
      const answer = await late;
      // Stripe replays the same PaymentIntent's creation to the late request: not its state now.
      expect('clientSecret' in answer.body).toBe(false);
      expect([400, 409]).toContain(answer.status);
    } finally {
      await call(`${ct}/_sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('D23: one Stripe client per process with the API version pinned', () => {
    const client = processor.deps.stripe as unknown as { getApiField(name: string): unknown };
    expect(client.getApiField('version')).toBe('2026-10-28.endive');
    expect(processor.deps.payments.stripe).toBe(processor.deps.stripe);
  });
});

describe('D18: confirm verifies the PaymentIntent against Stripe and commercetools', () => {
  it("D18: another payment's PaymentIntent is rejected and nothing is recorded", async () => {
    const a = await checkout(world);
    const b = await checkout(world);
    const payA = await createPayment(processor, a.sessionId);
    const payB = await createPayment(processor, b.sessionId);
    await browserConfirm(world, payB.clientSecret, 'pm_card_visa');
    const res = await confirm(processor, a.sessionId, payA.paymentReference, {
      paymentIntent: piIdOf(payB.clientSecret),
    });
    expect(res.body).toMatchObject({ outcome: 'rejected', errorCode: 'payment_mismatch' });
    expect((await ctPayment(processor, payA.paymentReference)).transactions).toEqual([]);
  });

  it("D18: another session's payment is rejected and nothing is recorded", async () => {
    const a = await checkout(world);
    const b = await checkout(world);
    const payB = await createPayment(processor, b.sessionId);
    await browserConfirm(world, payB.clientSecret, 'pm_card_visa');
    const res = await confirm(processor, a.sessionId, payB.paymentReference);
    expect(res.body).toMatchObject({ outcome: 'rejected', errorCode: 'payment_mismatch' });
    expect((await ctPayment(processor, payB.paymentReference)).transactions).toEqual([]);
  });

  it('D18: a PaymentIntent whose amount was changed behind the connector is not approved, and its money goes back', async () => {
    const { sessionId } = await checkout(world);
    const created = await createPayment(processor, sessionId);
    // Someone changes the amount in Stripe behind the connector's back.
    await stripeFor(world).paymentIntents.update(piIdOf(created.clientSecret), { amount: 100 });
    await browserConfirm(world, created.clientSecret, 'pm_card_visa');
    const res = await confirm(processor, sessionId, created.paymentReference);
    expect(res.body).toMatchObject({ outcome: 'rejected', errorCode: 'cart_changed' });
    const refunds = await stripeFor(world).refunds.list({ payment_intent: piIdOf(created.clientSecret) });
    expect(refunds.data.map((r) => r.amount)).toEqual([100]);
    expect(
      txs(await ctPayment(processor, created.paymentReference)).map((t) => `${t.type} ${t.state} ${t.amount}`),
    ).toEqual(['Authorization Success 100', 'Charge Success 100', 'Refund Success 100']);
  });

  it('D18: an unknown payment reference answers 404', async () => {
    const { sessionId } = await checkout(world);
    const res = await confirm(processor, sessionId, '00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(404);
  });
});

describe('logs', () => {
  it('never contain the client secret or the Stripe secret key', () => {
    const logs = [processor, manual].flatMap((p) => p.logs).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toMatch(/_secret_[A-Za-z0-9]/);
    expect(logs).not.toContain('sk_test_sandbox');
    expect(logs).not.toContain('connector-client-secret-value');
  });
});
