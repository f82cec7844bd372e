import Stripe from 'stripe';
import { startEmulator, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const create = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
  h.stripe.paymentIntents.create({ amount: 2999, currency: 'eur', ...params });

async function stripeError(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected a Stripe error');
}

describe('PaymentIntents through the real stripe SDK', () => {
  it('creates with metadata, automatic payment methods and the default capture method', async () => {
    const pi = await create({ metadata: { ct_payment_id: 'p1' }, automatic_payment_methods: { enabled: true } });
    expect(pi).toMatchObject({
      object: 'payment_intent',
      amount: 2999,
      currency: 'eur',
      status: 'requires_payment_method',
      capture_method: 'automatic_async',
      metadata: { ct_payment_id: 'p1' },
      automatic_payment_methods: { enabled: true },
    });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    expect(await h.stripe.paymentIntents.retrieve(pi.id)).toMatchObject({
      id: pi.id,
      status: 'requires_payment_method',
    });
  });

  it('confirms pm_card_visa with automatic capture: succeeded with a captured charge', async () => {
    const pi = await create({ allowed_payment_method_types: ['card'], capture_method: 'automatic' });
    const confirmed = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 2999, amount_capturable: 0 });
    const full = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    const charge = full.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 2999,
      amount_captured: 2999,
      amount_refunded: 0,
      captured: true,
      status: 'succeeded',
      payment_intent: pi.id,
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034 } },
    });
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const charges = await h.stripe.charges.list({ payment_intent: pi.id });
    expect(charges.data.map((c) => c.id)).toEqual([charge.id]);
  });

  it('manual capture: requires_capture, then a partial capture releases the rest', async () => {
    const pi = await create({ capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    expect(pi).toMatchObject({ status: 'requires_capture', amount_capturable: 2999 });
    const err = await stripeError(h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 5000 }));
    expect(err).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' });
    const captured = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1000, amount_capturable: 0 });
    const charge = await h.stripe.charges.retrieve(String(captured.latest_charge));
    expect(charge).toMatchObject({ amount: 2999, amount_captured: 1000, captured: true });
    const again = await stripeError(h.stripe.paymentIntents.capture(pi.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('multicapture: final_capture=false keeps the rest capturable', async () => {
    const pi = await create({
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
      payment_method_options: { card: { request_multicapture: 'if_available' } },
    });
    const first = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000, final_capture: false });
    expect(first).toMatchObject({ status: 'requires_capture', amount_capturable: 1999, amount_received: 1000 });
    const second = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 999 });
    expect(second).toMatchObject({ status: 'succeeded', amount_capturable: 0, amount_received: 1999 });
    expect((await h.stripe.charges.retrieve(String(second.latest_charge))).amount_captured).toBe(1999);
  });

  it('final_capture=false without multicapture is refused', async () => {
    const pi = await create({ capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const err = await stripeError(
      h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 100, final_capture: false }),
    );
    expect(err.statusCode).toBe(400);
  });

  it('a declined card answers 402 card_declined and leaves the PaymentIntent payable again', async () => {
    const pi = await create({ allowed_payment_method_types: ['card'] });
    const err = await stripeError(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }));
    expect(err).toMatchObject({
      type: 'StripeCardError',
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    const after = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(after).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' },
    });
    const retried = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
  });

  it('authentication required: requires_action until the challenge is completed or failed', async () => {
    const pi = await create({ allowed_payment_method_types: ['card'] });
    const confirmed = await h.stripe.paymentIntents.confirm(pi.id, {
      payment_method: 'pm_card_authenticationRequired',
    });
    expect(confirmed).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    const failed = await h.control(`/payment_intents/${pi.id}/authenticate`, {
      client_secret: pi.client_secret,
      outcome: 'fail',
    });
    expect(failed.body).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_authenticationRequired' });
    const wrongSecret = await h.control(`/payment_intents/${pi.id}/authenticate`, {
      client_secret: 'nope',
      outcome: 'succeed',
    });
    expect(wrongSecret.status).toBe(404);
    const passed = await h.control(`/payment_intents/${pi.id}/authenticate`, {
      client_secret: pi.client_secret,
      outcome: 'succeed',
    });
    expect(passed.body.status).toBe('succeeded');
  });

  it('an asynchronous method is processing until settled, then succeeds or fails', async () => {
    const ok = await create({
      allowed_payment_method_types: ['sepa_debit'],
      payment_method: 'pm_sepa_debit',
      confirm: true,
    });
    expect(ok.status).toBe('processing');
    expect((await h.control(`/payment_intents/${ok.id}/settle`, { outcome: 'succeeded' })).body.status).toBe(
      'succeeded',
    );
    const ko = await create({
      allowed_payment_method_types: ['sepa_debit'],
      payment_method: 'pm_sepa_debit',
      confirm: true,
    });
    const failed = await h.control(`/payment_intents/${ko.id}/settle`, { outcome: 'failed' });
    expect(failed.body).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'insufficient_funds' },
    });
  });

  it('settles asynchronous payments by itself after the configured delay', async () => {
    const auto = await startEmulator({ asyncSettleDelayMs: 50 });
    try {
      const pi = await auto.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'eur',
        allowed_payment_method_types: ['sepa_debit'],
        payment_method: 'pm_sepa_debit',
        confirm: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await auto.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    } finally {
      await auto.close();
    }
  });

  it('a redirect-based method needs a return_url and returns to it with the result', async () => {
    const pi = await create({ allowed_payment_method_types: ['ideal'] });
    const missing = await stripeError(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_ideal' }));
    expect(missing.statusCode).toBe(400);
    const confirmed = await h.stripe.paymentIntents.confirm(pi.id, {
      payment_method: 'pm_ideal',
      return_url: 'http://shop.test/return?x=1',
    });
    expect(confirmed.next_action?.type).toBe('redirect_to_url');
    const page = await fetch(confirmed.next_action!.redirect_to_url!.url!);
    expect(await page.text()).toContain('Authorize test payment');
    const back = await fetch(`${h.url}/_sandbox/redirect/${pi.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ outcome: 'succeed', return_url: 'http://shop.test/return?x=1' }).toString(),
      redirect: 'manual',
    });
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      x: '1',
      payment_intent: pi.id,
      payment_intent_client_secret: pi.client_secret,
      redirect_status: 'succeeded',
    });
  });

  it('updates the amount while unpaid, and refuses it once authorized', async () => {
    const pi = await create({ capture_method: 'manual' });
    expect((await h.stripe.paymentIntents.update(pi.id, { amount: 3500, metadata: { a: 'b' } })).amount).toBe(3500);
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect((await stripeError(h.stripe.paymentIntents.update(pi.id, { amount: 100 }))).statusCode).toBe(400);
  });

  it('cancels only from the states Stripe allows, with a cancellation reason', async () => {
    const pi = await create({ capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true });
    const canceled = await h.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'requested_by_customer',
      amount_capturable: 0,
    });
    const done = await create({ payment_method: 'pm_card_visa', confirm: true });
    expect(await stripeError(h.stripe.paymentIntents.cancel(done.id))).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
  });

  it('searches by metadata', async () => {
    const tag = `cart-${Date.now()}`;
    const pi = await create({ metadata: { ct_cart_id: tag } });
    await create({ metadata: { ct_cart_id: 'other' } });
    const found = await h.stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${tag}'` });
    expect(found.data.map((p) => p.id)).toEqual([pi.id]);
  });

  it('answers Stripe-shaped errors for unknown objects and bad parameters', async () => {
    expect(await stripeError(h.stripe.paymentIntents.retrieve('pi_nope'))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    expect(await stripeError(h.stripe.paymentIntents.create({ amount: 10, currency: 'eur' }))).toMatchObject({
      statusCode: 400,
      code: 'amount_too_small',
    });
    expect(
      await stripeError(
        h.stripe.paymentIntents.create({
          amount: 1000,
          currency: 'eur',
          allowed_payment_method_types: ['card'],
          automatic_payment_methods: { enabled: true },
        }),
      ),
    ).toMatchObject({ statusCode: 400 });
    // API 2026-10-28: `payment_method_types` is no longer a parameter; Stripe refuses what it does not know.
    expect(
      await stripeError(
        h.stripe.paymentIntents.create({
          amount: 1000,
          currency: 'eur',
          payment_method_types: ['card'],
        } as Stripe.PaymentIntentCreateParams),
      ),
    ).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'payment_method_types' });
  });
});

describe('API keys', () => {
  it('refuses a missing or wrong key with 401', async () => {
    const res = await fetch(`${h.url}/v1/payment_intents`);
    expect(res.status).toBe(401);
    const wrong = new Stripe('sk_test_wrong', {
      host: '127.0.0.1',
      port: Number(new URL(h.url).port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    expect(await stripeError(wrong.paymentIntents.list())).toMatchObject({ statusCode: 401 });
  });

  it('lets the publishable key confirm and retrieve only with the client secret, and nothing else', async () => {
    const pi = await create({ allowed_payment_method_types: ['card'] });
    expect(await stripeError(h.browser.paymentIntents.create({ amount: 1000, currency: 'eur' }))).toMatchObject({
      statusCode: 401,
    });
    expect(await stripeError(h.browser.paymentIntents.retrieve(pi.id))).toMatchObject({ statusCode: 404 });
    expect(
      (
        await h.browser.paymentIntents.retrieve(pi.id, {
          client_secret: pi.client_secret!,
        } as Stripe.PaymentIntentRetrieveParams)
      ).id,
    ).toBe(pi.id);
    const confirmed = await h.browser.paymentIntents.confirm(pi.id, {
      payment_method: 'pm_card_visa',
      client_secret: pi.client_secret,
    } as Stripe.PaymentIntentConfirmParams);
    expect(confirmed.status).toBe('succeeded');
    expect(await stripeError(h.browser.paymentIntents.capture(pi.id))).toMatchObject({ statusCode: 401 });
  });
});
