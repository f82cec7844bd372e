import Stripe from 'stripe';
import { eventTypes, startEmulator, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const authorize = () =>
  h.stripe.paymentIntents.create({
    amount: 2999,
    currency: 'eur',
    payment_method: 'pm_card_visa',
    confirm: true,
    capture_method: 'manual',
  });

describe('dashboard actions bypass the connector', () => {
  it('capture, refund and cancel made in Stripe directly, with their events but no API request', async () => {
    const auth = await authorize();
    expect((await h.control(`/dashboard/payment_intents/${auth.id}/capture`, { amount: 2000 })).body).toMatchObject({
      status: 'succeeded',
      amount_received: 2000,
    });
    expect((await h.control(`/dashboard/payment_intents/${auth.id}/refund`, { amount: 500 })).body).toMatchObject({
      object: 'refund',
      amount: 500,
    });
    const events = await h.stripe.events.list({ type: 'charge.captured', limit: 5 });
    const captured = events.data.find((e) => (e.data.object as Stripe.Charge).payment_intent === auth.id)!;
    expect(captured.request).toEqual({ id: null, idempotency_key: null });

    const other = await authorize();
    expect((await h.control(`/dashboard/payment_intents/${other.id}/cancel`)).body.status).toBe('canceled');
    expect((await h.control(`/dashboard/payment_intents/${other.id}/cancel`)).status).toBe(400);
  });

  it('multicapture from the dashboard with final=false', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 3000,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      payment_method_options: { card: { request_multicapture: 'if_available' } },
    });
    const partial = await h.control(`/dashboard/payment_intents/${pi.id}/capture`, { amount: 1000, final: false });
    expect(partial.body).toMatchObject({ status: 'requires_capture', amount_capturable: 2000 });
  });

  it('events made by API requests carry the request id and idempotency key', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' }, { idempotencyKey: 'evt-key-1' });
    const [created] = (await h.stripe.events.list({ type: 'payment_intent.created', limit: 1 })).data;
    expect((created!.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(created!.request).toEqual({ id: pi.lastResponse.requestId, idempotency_key: 'evt-key-1' });
  });
});

describe('faults, counters and reset', () => {
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

  it('a request held past the client timeout fails on the client but was never executed', async () => {
    const port = Number(new URL(h.url).port);
    const impatient = new Stripe(h.emulator.secretKey, {
      host: '127.0.0.1',
      port,
      protocol: 'http',
      maxNetworkRetries: 0,
      timeout: 100,
    });
    await h.control('/faults', { method: 'POST', path: '/v1/customers', delayMs: 300, status: 503 });
    expect(await stripeError(impatient.customers.create({ email: 'slow@example.com' }))).toBeInstanceOf(
      Stripe.errors.StripeConnectionError,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await h.stripe.customers.list({ email: 'slow@example.com' })).data).toEqual([]);
  });

  it('reset forgets every object and event', async () => {
    const other = await startEmulator();
    try {
      const pi = await other.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });
      expect((await other.control('/reset')).status).toBe(200);
      expect(await stripeError(other.stripe.paymentIntents.retrieve(pi.id))).toMatchObject({ statusCode: 404 });
      expect((await other.stripe.events.list()).data).toEqual([]);
      expect(await eventTypes(other, pi.id)).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
