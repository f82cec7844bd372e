import Stripe from 'stripe';
import { startEmulator, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

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

let seq = 0;
const uniqueKey = (name: string) => `${name}-${Date.now()}-${++seq}`;

describe('idempotency', () => {
  it('replays the first answer for the same key and parameters, without doing it twice', async () => {
    const key = uniqueKey('create');
    const first = await h.stripe.paymentIntents.create({ amount: 1234, currency: 'eur' }, { idempotencyKey: key });
    const second = await h.stripe.paymentIntents.create({ amount: 1234, currency: 'eur' }, { idempotencyKey: key });
    expect(second).toEqual(first);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    const search = await h.stripe.paymentIntents.list({ limit: 100 });
    expect(search.data.filter((p) => p.amount === 1234)).toHaveLength(1);
  });

  it('a refund retried with its key is made once', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const key = uniqueKey('refund');
    const a = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 500 }, { idempotencyKey: key });
    const b = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 500 }, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    expect((await h.stripe.charges.retrieve(String(pi.latest_charge))).amount_refunded).toBe(500);
  });

  it('replays a card error too (the request was executed)', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1234, currency: 'eur' });
    const key = uniqueKey('decline');
    const first = await raw(`/v1/payment_intents/${pi.id}/confirm`, 'payment_method=pm_card_chargeDeclined', key);
    const second = await raw(`/v1/payment_intents/${pi.id}/confirm`, 'payment_method=pm_card_chargeDeclined', key);
    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await h.stripe.charges.list({ payment_intent: pi.id })).data).toHaveLength(1);
  });

  it('does not keep a request refused by validation: the key can be used again', async () => {
    const key = uniqueKey('invalid');
    expect((await raw('/v1/payment_intents', 'amount=1&currency=eur', key)).status).toBe(400);
    expect((await raw('/v1/payment_intents', 'amount=1000&currency=eur', key)).status).toBe(200);
  });

  it('answers 400 idempotency_error for the same key with other parameters or on another endpoint', async () => {
    const key = uniqueKey('conflict');
    await h.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' }, { idempotencyKey: key });
    await expect(
      h.stripe.paymentIntents.create({ amount: 2000, currency: 'eur' }, { idempotencyKey: key }),
    ).rejects.toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });
    await expect(h.stripe.customers.create({}, { idempotencyKey: key })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('refuses keys longer than 255 characters', async () => {
    expect((await raw('/v1/customers', '', 'k'.repeat(256))).status).toBe(400);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const key = uniqueKey('busy');
    // The first request is executed, and its answer held back for 300 ms.
    const fault = await h.control('/faults', {
      method: 'POST',
      path: '/v1/payment_intents',
      delayMs: 300,
      phase: 'after',
    });
    expect(fault.status).toBe(201);
    const slow = raw('/v1/payment_intents', 'amount=1000&currency=eur', key);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const concurrent = await raw('/v1/payment_intents', 'amount=1000&currency=eur', key);
    expect(concurrent.status).toBe(409);
    expect(((await concurrent.json()) as { error: { type: string } }).error.type).toBe('idempotency_error');
    const first = (await (await slow).json()) as { id: string };
    const replay = (await (await raw('/v1/payment_intents', 'amount=1000&currency=eur', key)).json()) as { id: string };
    expect(replay.id).toBe(first.id);
  });

  it('keeps the executed result when the answer was lost: the retry gets it', async () => {
    const key = uniqueKey('lost');
    await h.control('/faults', { method: 'POST', path: '/v1/customers', status: 500, phase: 'after' });
    await expect(
      h.stripe.customers.create({ email: 'lost@example.com' }, { idempotencyKey: key }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    const retried = await h.stripe.customers.create({ email: 'lost@example.com' }, { idempotencyKey: key });
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    const found = await h.stripe.customers.list({ email: 'lost@example.com' });
    expect(found.data.map((c) => c.id)).toEqual([retried.id]);
  });
});
