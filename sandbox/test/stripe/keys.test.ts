import Stripe from 'stripe';
import { startEmulator, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const withClientSecret = <T>(params: T, secret: string | null) => ({ ...params, client_secret: secret }) as T;

describe('API keys', () => {
  it('refuses a missing or wrong key with 401', async () => {
    const res = await fetch(`${h.url}/v1/payment_intents`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const wrong = new Stripe('sk_test_wrong', {
      host: '127.0.0.1',
      port: Number(new URL(h.url).port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    expect(await stripeError(wrong.paymentIntents.list())).toMatchObject({
      type: 'StripeAuthenticationError',
      statusCode: 401,
    });
  });

  it('lets the publishable key retrieve and confirm only with the client secret', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      metadata: { ct_payment_id: 'secret-ish' },
    });
    expect(await stripeError(h.browser.paymentIntents.retrieve(pi.id))).toMatchObject({
      statusCode: 400,
      param: 'client_secret',
    });
    expect(
      await stripeError(
        h.browser.paymentIntents.retrieve(
          pi.id,
          withClientSecret<Stripe.PaymentIntentRetrieveParams>({}, 'pi_x_secret_y'),
        ),
      ),
    ).toMatchObject({ statusCode: 404 });
    const seen = await h.browser.paymentIntents.retrieve(pi.id, { client_secret: pi.client_secret! });
    // The browser sees Stripe's publishable subset: no metadata, customer or charge.
    expect(seen).toMatchObject({ id: pi.id, status: 'requires_payment_method', capture_method: 'automatic_async' });
    expect(seen.metadata).toBeUndefined();
    expect(seen.latest_charge).toBeUndefined();
    const confirmed = await h.browser.paymentIntents.confirm(
      pi.id,
      withClientSecret<Stripe.PaymentIntentConfirmParams>({ payment_method: 'pm_card_visa' }, pi.client_secret),
    );
    expect(confirmed.status).toBe('succeeded');
  });

  it('refuses the publishable key for every server call', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    const refused = [
      h.browser.paymentIntents.create({ amount: 1000, currency: 'eur' }),
      h.browser.paymentIntents.update(pi.id, { metadata: { a: 'b' } }),
      h.browser.paymentIntents.capture(pi.id),
      h.browser.paymentIntents.cancel(pi.id),
      h.browser.paymentIntents.list(),
      h.browser.refunds.create({ payment_intent: pi.id }),
      h.browser.charges.retrieve(String(pi.latest_charge)),
      h.browser.customers.create({}),
      h.browser.webhookEndpoints.list(),
      h.browser.events.list(),
    ];
    for (const call of refused) {
      expect(await stripeError(call)).toMatchObject({ statusCode: 401, code: 'secret_key_required' });
    }
  });

  it('lets Stripe.js create a PaymentMethod from a test card number with the publishable key', async () => {
    const res = await fetch(`${h.url}/v1/payment_methods`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        key: h.emulator.publishableKey,
        type: 'card',
        'card[number]': '4000 0025 0000 3155',
        'card[exp_month]': '12',
        'card[exp_year]': '34',
        'card[cvc]': '123',
        'billing_details[name]': 'Jenny Rosen',
      }).toString(),
    });
    expect(res.status).toBe(200);
    const pm = (await res.json()) as Stripe.PaymentMethod;
    expect(pm).toMatchObject({
      type: 'card',
      card: { last4: '3155', exp_year: 2034 },
      billing_details: { name: 'Jenny Rosen' },
    });
    const bad = await fetch(`${h.url}/v1/payment_methods`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${h.emulator.publishableKey}`,
      },
      body: 'type=card&card[number]=4242424242424241',
    });
    expect(bad.status).toBe(402);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('incorrect_number');
  });

  it('the browser completes a challenge with the publishable key and client secret; a wrong key is refused', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    const call = (key: string) =>
      fetch(`${h.url}/_sandbox/payment_intents/${pi.id}/authenticate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_secret: pi.client_secret!, outcome: 'succeed' }).toString(),
      });
    expect((await call('pk_test_other')).status).toBe(401);
    const done = await call(h.emulator.publishableKey);
    expect(done.status).toBe(200);
    expect(((await done.json()) as Stripe.PaymentIntent).status).toBe('succeeded');
  });

  it('answers CORS preflights from the checkout page origin', async () => {
    const res = await fetch(`${h.url}/v1/payment_intents/pi_x/confirm`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,stripe-version',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,stripe-version');
    const get = await fetch(`${h.url}/v1/payment_intents/pi_x?key=${h.emulator.publishableKey}`, {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(get.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });
});
