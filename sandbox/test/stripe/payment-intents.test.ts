import type Stripe from 'stripe';
import { eventTypes, startEmulator, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const create = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
  h.stripe.paymentIntents.create({ amount: 2999, currency: 'eur', ...params });

describe('creating and reading PaymentIntents', () => {
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
      latest_charge: null,
    });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    expect(await h.stripe.paymentIntents.retrieve(pi.id)).toEqual(pi);
    expect(await eventTypes(h, pi.id)).toEqual(['payment_intent.created']);
  });

  it('answers Stripe-shaped errors for unknown objects and bad parameters', async () => {
    expect(await stripeError(h.stripe.paymentIntents.retrieve('pi_nope'))).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });
    expect(await stripeError(create({ amount: 10 }))).toMatchObject({ statusCode: 400, code: 'amount_too_small' });
    expect(
      await stripeError(
        create({ allowed_payment_method_types: ['card'], automatic_payment_methods: { enabled: true } }),
      ),
    ).toMatchObject({ statusCode: 400, code: 'parameters_exclusive' });
    // API 2026-10-28: `payment_method_types` is no longer a parameter; Stripe refuses what it does not know.
    expect(
      await stripeError(create({ payment_method_types: ['card'] } as Partial<Stripe.PaymentIntentCreateParams>)),
    ).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'payment_method_types' });
    expect(await stripeError(create({ metadata: { ['k'.repeat(41)]: 'v' } }))).toMatchObject({ statusCode: 400 });
    expect(await stripeError(create({ customer: 'cus_nope' }))).toMatchObject({ statusCode: 404, param: 'customer' });
  });

  it('expands latest_charge with its balance transaction, payment_method and customer, and refuses unknown paths', async () => {
    const customer = await h.stripe.customers.create({ email: 'e@example.com' });
    const pi = await create({ customer: customer.id, payment_method: 'pm_card_visa', confirm: true });
    const full = await h.stripe.paymentIntents.retrieve(pi.id, {
      expand: ['latest_charge.balance_transaction', 'payment_method', 'customer'],
    });
    const charge = full.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', payment_intent: pi.id });
    expect(charge.balance_transaction).toMatchObject({ object: 'balance_transaction', amount: 2999, type: 'charge' });
    expect(full.payment_method).toMatchObject({ object: 'payment_method', card: { brand: 'visa', last4: '4242' } });
    expect(full.customer).toMatchObject({ id: customer.id, email: 'e@example.com' });
    expect(await stripeError(h.stripe.paymentIntents.retrieve(pi.id, { expand: ['amount'] }))).toMatchObject({
      statusCode: 400,
      param: 'expand',
    });
  });

  it('lists newest first with pagination, and searches by metadata', async () => {
    const tag = `cart-${Date.now()}`;
    const first = await create({ metadata: { ct_cart_id: tag } });
    const second = await create({ metadata: { ct_cart_id: tag } });
    await create({ metadata: { ct_cart_id: 'other' } });
    const found = await h.stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${tag}'` });
    expect(found).toMatchObject({ object: 'search_result', has_more: false });
    expect(found.data.map((p) => p.id)).toEqual([second.id, first.id]);
    const page = await h.stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${tag}'`, limit: 1 });
    expect(page.has_more).toBe(true);
    const next = await h.stripe.paymentIntents.search({
      query: `metadata['ct_cart_id']:'${tag}'`,
      limit: 1,
      page: page.next_page!,
    });
    expect(next.data.map((p) => p.id)).toEqual([first.id]);
    const listed = await h.stripe.paymentIntents.list({ limit: 2 });
    expect(listed.has_more).toBe(true);
    const after = await h.stripe.paymentIntents.list({ limit: 1, starting_after: listed.data[0]!.id });
    expect(after.data[0]!.id).toBe(listed.data[1]!.id);
  });
});

describe('updating', () => {
  it('changes the amount while unpaid, and refuses it once authorized; metadata stays editable', async () => {
    const pi = await create({ capture_method: 'manual' });
    expect((await h.stripe.paymentIntents.update(pi.id, { amount: 3500, metadata: { a: 'b' } })).amount).toBe(3500);
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(await stripeError(h.stripe.paymentIntents.update(pi.id, { amount: 100 }))).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
    const tagged = await h.stripe.paymentIntents.update(pi.id, { metadata: { order: 'o-1', a: '' } });
    expect(tagged.metadata).toEqual({ order: 'o-1' });
  });
});

describe('confirming with test payment methods', () => {
  it('pm_card_visa with automatic capture: succeeded, with a captured charge from a new PaymentMethod', async () => {
    const pi = await create({ allowed_payment_method_types: ['card'], capture_method: 'automatic' });
    const confirmed = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 2999, amount_capturable: 0 });
    // As in Stripe, a test token is not a PaymentMethod itself: each use creates one.
    expect(confirmed.payment_method).toMatch(/^pm_(?!card_)/);
    const charge = await h.stripe.charges.retrieve(String(confirmed.latest_charge));
    expect(charge).toMatchObject({
      amount: 2999,
      amount_captured: 2999,
      amount_refunded: 0,
      captured: true,
      paid: true,
      status: 'succeeded',
      payment_intent: pi.id,
      payment_method: confirmed.payment_method,
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034 } },
    });
    expect(charge.balance_transaction).toMatch(/^txn_/);
    expect((await h.stripe.charges.list({ payment_intent: pi.id })).data.map((c) => c.id)).toEqual([charge.id]);
    expect(await eventTypes(h, pi.id)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  it('carries billing details from payment_method_data and shipping from the PaymentIntent to the charge', async () => {
    const shipping = { name: 'Jenny Rosen', address: { line1: '1 Main St', city: 'Berlin', country: 'DE' } };
    const pi = await create({ shipping });
    // Raw card numbers come from Stripe.js, with the publishable key and the client secret.
    const confirmed = await h.browser.paymentIntents.confirm(pi.id, {
      client_secret: pi.client_secret,
      payment_method_data: {
        type: 'card',
        card: { number: '5555555555554444', exp_month: 4, exp_year: 2031, cvc: '123' },
        billing_details: { name: 'Jenny Rosen', email: 'jenny@example.com' },
      },
    } as unknown as Stripe.PaymentIntentConfirmParams);
    expect(confirmed.status).toBe('succeeded');
    const { latest_charge: chargeId } = await h.stripe.paymentIntents.retrieve(pi.id);
    const charge = await h.stripe.charges.retrieve(String(chargeId));
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'mastercard', last4: '4444', exp_month: 4 });
    expect(charge.billing_details).toMatchObject({ name: 'Jenny Rosen', email: 'jenny@example.com' });
    expect(charge.shipping).toMatchObject({ name: 'Jenny Rosen', address: { city: 'Berlin' } });
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
    expect(err.payment_intent).toMatchObject({ id: pi.id, status: 'requires_payment_method' });
    const after = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(after).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' },
    });
    expect(await h.stripe.charges.retrieve(String(after.latest_charge))).toMatchObject({
      status: 'failed',
      failure_code: 'card_declined',
      captured: false,
    });
    const retried = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(retried).toMatchObject({ status: 'succeeded', last_payment_error: null });
    expect(await eventTypes(h, pi.id)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'charge.succeeded',
      'payment_intent.succeeded',
      // automatic_async (the default): the balance transaction comes with a later charge.updated
      'charge.updated',
    ]);
  });

  it('refuses to confirm without a payment method, with a type not allowed, or in a final state', async () => {
    const pi = await create({ allowed_payment_method_types: ['card'] });
    expect(await stripeError(h.stripe.paymentIntents.confirm(pi.id))).toMatchObject({ statusCode: 400 });
    expect(
      await stripeError(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_sepa_debit' })),
    ).toMatchObject({ statusCode: 400, code: 'payment_intent_incompatible_payment_method' });
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    const again = await stripeError(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(again.payment_intent).toMatchObject({ id: pi.id, status: 'succeeded' });
  });

  it('authentication required: requires_action with a challenge, completed or failed by the shopper', async () => {
    const pi = await create({ allowed_payment_method_types: ['card'] });
    const confirmed = await h.stripe.paymentIntents.confirm(pi.id, {
      payment_method: 'pm_card_authenticationRequired',
    });
    expect(confirmed).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } },
    });
    const failed = await h.control(`/payment_intents/${pi.id}/authenticate`, {
      client_secret: pi.client_secret,
      outcome: 'fail',
    });
    expect(failed.body).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
    expect(failed.body.metadata).toBeUndefined(); // the browser's view
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
    const charge = await h.stripe.charges.retrieve(
      String((await h.stripe.paymentIntents.retrieve(pi.id)).latest_charge),
    );
    expect(charge.payment_method_details?.card?.three_d_secure).toMatchObject({ result: 'authenticated' });
    expect(await eventTypes(h, pi.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.payment_failed',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.updated',
    ]);
  });

  it('the hosted 3-D Secure page completes the challenge and tells the opening page', async () => {
    const pi = await create({ payment_method: 'pm_card_threeDSecure2Required', confirm: true });
    const url = pi.next_action!.use_stripe_sdk!.stripe_js as unknown as string;
    const page = await fetch(url);
    expect(await page.text()).toContain('Complete');
    const token = new URL(url).searchParams.get('token')!;
    const done = await fetch(`${h.url}/_sandbox/3ds/${pi.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, outcome: 'succeed' }).toString(),
    });
    expect(await done.text()).toContain('sandbox-3ds-complete');
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    expect((await fetch(url)).status).toBe(404);
  });

  it('a card that authenticates and then declines ends in requires_payment_method', async () => {
    const pi = await create({
      payment_method: 'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds',
      confirm: true,
    });
    const after = await h.control(`/payment_intents/${pi.id}/authenticate`, {
      client_secret: pi.client_secret,
      outcome: 'succeed',
    });
    expect(after.body).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' },
    });
  });

  it('a redirect-based method needs a return_url and comes back to it with the result', async () => {
    const pi = await create({ allowed_payment_method_types: ['ideal'] });
    expect(await stripeError(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_ideal' }))).toMatchObject({
      statusCode: 400,
      param: 'return_url',
    });
    const confirmed = await h.stripe.paymentIntents.confirm(pi.id, {
      payment_method: 'pm_ideal',
      return_url: 'http://shop.test/return?x=1',
    });
    expect(confirmed.next_action).toMatchObject({
      type: 'redirect_to_url',
      redirect_to_url: { return_url: 'http://shop.test/return?x=1' },
    });
    const url = new URL(confirmed.next_action!.redirect_to_url!.url!);
    expect(await (await fetch(url)).text()).toContain('Authorize test payment');
    const back = await fetch(`${h.url}/_sandbox/redirect/${pi.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ outcome: 'succeed', token: url.searchParams.get('token')! }).toString(),
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
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
  });

  it('a 3-D Secure card confirmed with a return_url redirects; failing it reports redirect_status=failed', async () => {
    const pi = await create({
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'http://shop.test/back',
    });
    expect(pi.next_action?.type).toBe('redirect_to_url');
    const url = new URL(pi.next_action!.redirect_to_url!.url!);
    const back = await fetch(`${h.url}/_sandbox/redirect/${pi.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ outcome: 'fail', token: url.searchParams.get('token')! }).toString(),
      redirect: 'manual',
    });
    expect(new URL(back.headers.get('location')!).searchParams.get('redirect_status')).toBe('failed');
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');
  });

  it('an asynchronous method is processing until settled, then succeeds or fails', async () => {
    const ok = await create({
      allowed_payment_method_types: ['sepa_debit'],
      payment_method: 'pm_sepaDebit_success_at',
      confirm: true,
    });
    expect(ok.status).toBe('processing');
    expect(await h.stripe.charges.retrieve(String(ok.latest_charge))).toMatchObject({ status: 'pending', paid: false });
    expect(await stripeError(h.stripe.paymentIntents.cancel(ok.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
    expect((await h.control(`/payment_intents/${ok.id}/settle`, {})).body.status).toBe('succeeded');
    expect(await h.stripe.charges.retrieve(String(ok.latest_charge))).toMatchObject({
      status: 'succeeded',
      paid: true,
    });
    expect(await eventTypes(h, ok.id)).toEqual([
      'payment_intent.created',
      'charge.pending',
      'payment_intent.processing',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);

    const ko = await create({
      allowed_payment_method_types: ['sepa_debit'],
      payment_method_data: { type: 'sepa_debit', sepa_debit: { iban: 'AT861904300235473202' } },
      confirm: true,
    });
    const failed = await h.control(`/payment_intents/${ko.id}/settle`, {});
    expect(failed.body).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'insufficient_funds' },
    });
    expect(await h.stripe.charges.retrieve(String(ko.latest_charge))).toMatchObject({ status: 'failed' });
    expect((await h.control(`/payment_intents/${ko.id}/settle`, {})).status).toBe(400);
  });

  it('settles asynchronous payments by itself after the configured delay', async () => {
    const auto = await startEmulator({ asyncSettleDelayMs: 50 });
    try {
      const pi = await auto.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'eur',
        payment_method: 'pm_sepa_debit',
        confirm: true,
      });
      expect(pi.status).toBe('processing');
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await auto.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    } finally {
      await auto.close();
    }
  });

  it('manual capture is refused for methods that cannot hold funds', async () => {
    const pi = await create({ capture_method: 'manual', allowed_payment_method_types: ['sepa_debit'] });
    expect(
      await stripeError(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_sepa_debit' })),
    ).toMatchObject({ statusCode: 400, param: 'capture_method' });
  });
});

describe('cancel', () => {
  it('cancels only from the states Stripe allows, with a cancellation reason', async () => {
    const open = await create();
    expect(await h.stripe.paymentIntents.cancel(open.id, { cancellation_reason: 'abandoned' })).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
    });
    expect(await stripeError(h.stripe.paymentIntents.cancel(open.id))).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
    expect(
      await stripeError(h.stripe.paymentIntents.confirm(open.id, { payment_method: 'pm_card_visa' })),
    ).toMatchObject({ code: 'payment_intent_unexpected_state' });
    const done = await create({ payment_method: 'pm_card_visa', confirm: true });
    expect(await stripeError(h.stripe.paymentIntents.cancel(done.id))).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
    });
    const waiting = await create({ payment_method: 'pm_card_authenticationRequired', confirm: true });
    expect((await h.stripe.paymentIntents.cancel(waiting.id)).next_action).toBeNull();
  });
});
