import type { Payment } from '@commercetools/platform-sdk';
import Stripe from 'stripe';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { installConnectorTypes } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/**
^ * Bad input: repeated and concurrent identical calls. Every answer is a 2xx or a
 * 4xx in the commercetools shape (a 409 asks the caller to retry), never a 5xx, and the money
 * side effects happen once: one PaymentIntent per cart, one capture, one refund, one order.
 */

let world: World;
let processor: Processor;
let manual: Processor;
let oauth: string;
const secret = 'whsec_sandbox_signing_secret';
const N = 20;
const counts: Record<string, number> = {};

beforeAll(async () => {
  world = await startWorld();
  [processor, manual] = await Promise.all([
    startProcessor(world, { STRIPE_WEBHOOK_SIGNING_SECRET: secret }),
    startProcessor(world, { STRIPE_WEBHOOK_SIGNING_SECRET: secret, STRIPE_CAPTURE_METHOD: 'manual' }),
  ]);
  await installConnectorTypes(processor);
  oauth = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  const rows = Object.entries(counts);
  // eslint-disable-next-line no-console -- the run prints its counts of cases
  console.log(
    `concurrent and repeated calls per route\n${rows.map(([route, n]) => `${route.padEnd(48)} ${n}`).join('\n')}`,
  );
  await Promise.all([processor?.close(), manual?.close()]);
  await world?.stop();
});

type Init = Parameters<typeof call>[1];
/** `times` identical calls at once (or one after the other), counted for the table. */
async function many(route: string, url: string, init: Init, times = N, sequential = false) {
  counts[route] = (counts[route] ?? 0) + times;
  if (sequential) {
    const out = [];
    for (let i = 0; i < times; i++) out.push(await call(url, init));
    return out;
  }
  return Promise.all(Array.from({ length: times }, () => call(url, init)));
}

function expectNo5xx(responses: { status: number; body: any }[], allowed: number[] = [200, 409]) {
  for (const res of responses) {
    expect(allowed).toContain(res.status);
    if (res.status >= 400) {
      expect(res.body).toEqual({
        statusCode: res.status,
        message: expect.any(String),
        errors: [expect.objectContaining({ code: expect.any(String), message: expect.any(String) })],
      });
    }
  }
}

let keysAreUnique: boolean | undefined;
/** Whether the sandbox refuses a second payment with the same key, as commercetools does. */
async function uniquePaymentKeys(): Promise<boolean> {
  if (keysAreUnique === undefined) {
    const draft = {
      key: `bad-input-probe-${Date.now()}`,
      amountPlanned: { centAmount: 1, currencyCode: 'EUR' },
      paymentMethodInfo: { paymentInterface: 'probe' },
    };
    await processor.deps.payments.ct.createPayment(draft);
    keysAreUnique = await processor.deps.payments.ct.createPayment(draft).then(
      () => false,
      () => true,
    );
  }
  return keysAreUnique;
}

/** Exactly one successful transaction of each type, each for the whole amount. */
function expectOnceEach(transactions: Payment['transactions'], types: string[], centAmount: number) {
  const success = transactions.filter((t) => t.state === 'Success');
  expect(success.map((t) => t.type).sort()).toEqual([...types].sort());
  for (const t of success) expect(t.amount.centAmount).toBe(centAmount);
}

const intentsOfCart = async (cartId: string) =>
  (await stripeFor(world).paymentIntents.search({ query: `metadata['ct_cart_id']:'${cartId}'`, limit: 100 })).data;
const paymentsOfCart = async (p: Processor, cartId: string) =>
  (await p.deps.payments.ct.getCartWithPayments(cartId)).paymentInfo?.payments ?? [];

/** A cart with one payment its shopper has confirmed in the browser; confirmed on the processor too. */
async function paid(p: Processor) {
  const { sessionId, cartId } = await checkout(world);
  const created = await call(`${p.url}/payments`, { session: sessionId, json: {} });
  expect(created.status).toBe(200);
  const confirmed = await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  expect(confirmed).not.toBeInstanceOf(Stripe.errors.StripeError);
  return {
    sessionId,
    cartId,
    paymentId: created.body.paymentReference as string,
    paymentIntentId: String(created.body.clientSecret).split('_secret_')[0]!,
  };
}

describe('POST /payments', () => {
  it(`${N} concurrent identical calls for one cart yield one payment and one PaymentIntent`, async () => {
    const { sessionId, cartId } = await checkout(world);
    const responses = await many('POST /payments', `${processor.url}/payments`, { session: sessionId, json: {} });
    expectNo5xx(responses);
    const ok = responses.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    const intents = await intentsOfCart(cartId);
    // Every answer is a coherent pair: its PaymentIntent names its payment and this cart.
    for (const res of ok) {
      const pi = intents.find((i) => res.body.clientSecret.startsWith(`${i.id}_secret_`));
      const payment = await processor.deps.payments.ct.getPayment(res.body.paymentReference);
      expect(pi?.metadata).toMatchObject({ ct_payment_key: payment.key, ct_cart_id: cartId });
    }
    if (await uniquePaymentKeys()) {
      expect(new Set(ok.map((r) => r.body.paymentReference)).size).toBe(1);
      expect(intents).toHaveLength(1);
      expect(await paymentsOfCart(processor, cartId)).toHaveLength(1);
    } else {
      // The processor's guard is commercetools' unique payment key (`{cartId}-{cartVersion}`),
      // which @labdigital/commercetools-mock alone does not enforce (the sandbox adds it).
      // eslint-disable-next-line no-console -- the run prints its counts of cases
      console.warn(`sandbox does not enforce unique payment keys: ${intents.length} PaymentIntents for one cart`);
    }

    // Repeated calls (what a client does after a 409) converge on one payment.
    const again = await many('POST /payments', `${processor.url}/payments`, { session: sessionId, json: {} }, 5, true);
    expectNo5xx(again, [200]);
    expect(new Set(again.map((r) => r.body.paymentReference)).size).toBe(1);
    const before = (await intentsOfCart(cartId)).length;
    await many('POST /payments', `${processor.url}/payments`, { session: sessionId, json: {} }, 3, true);
    expect(await intentsOfCart(cartId)).toHaveLength(before);
  });

  it(`${N} concurrent identical calls with a bad body change nothing`, async () => {
    const { sessionId, cartId } = await checkout(world);
    const responses = await many('POST /payments', `${processor.url}/payments`, {
      session: sessionId,
      json: { paymentComponent: 'payment', amount: 1 },
    });
    expectNo5xx(responses, [400]);
    expect(await intentsOfCart(cartId)).toHaveLength(0);
    expect(await paymentsOfCart(processor, cartId)).toHaveLength(0);
  });
});

describe('POST /confirmPayments/:paymentReference', () => {
  it(`${N} concurrent identical calls record one authorization and one order`, async () => {
    const { sessionId, paymentId } = await paid(processor);
    const responses = await many(
      'POST /confirmPayments/:paymentReference',
      `${processor.url}/confirmPayments/${paymentId}`,
      {
        session: sessionId,
        json: {},
      },
    );
    expectNo5xx(responses);
    expect(responses.filter((r) => r.status === 200).every((r) => r.body.outcome === 'approved')).toBe(true);
    const again = await many(
      'POST /confirmPayments/:paymentReference',
      `${processor.url}/confirmPayments/${paymentId}`,
      { session: sessionId, json: {} },
      3,
      true,
    );
    expectNo5xx(again, [200]);
    const payment = await processor.deps.payments.ct.getPayment(paymentId);
    expectOnceEach(payment.transactions, ['Authorization', 'Charge'], payment.amountPlanned.centAmount);
  });
});

describe('POST /operations/payment-intents/:paymentId', () => {
  it(`${N} concurrent identical captures capture once, ${N} concurrent identical refunds refund once`, async () => {
    const { sessionId, paymentId, paymentIntentId } = await paid(manual);
    expect(
      (await call(`${manual.url}/confirmPayments/${paymentId}`, { session: sessionId, json: {} })).body.outcome,
    ).toBe('approved');
    const amount = (await manual.deps.payments.ct.getPayment(paymentId)).amountPlanned;
    const operate = (action: Record<string, unknown>) =>
      many('POST /operations/payment-intents/:paymentId', `${manual.url}/operations/payment-intents/${paymentId}`, {
        headers: { authorization: `Bearer ${oauth}` },
        json: { actions: [action] },
      });
    const money = { centAmount: amount.centAmount, currencyCode: amount.currencyCode };

    expectNo5xx(await operate({ action: 'capturePayment', amount: money }));
    const pi = await stripeFor(world).paymentIntents.retrieve(paymentIntentId);
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: amount.centAmount });

    expectNo5xx(await operate({ action: 'refundPayment', amount: money }));
    const refunds = await stripeFor(world).refunds.list({ payment_intent: paymentIntentId });
    expect(refunds.data.map((r) => r.amount)).toEqual([amount.centAmount]);

    const payment = await manual.deps.payments.ct.getPayment(paymentId);
    const sum = (type: string) =>
      payment.transactions
        .filter((t) => t.type === type && t.state === 'Success')
        .reduce((total, t) => total + t.amount.centAmount, 0);
    expect(sum('Charge')).toBe(amount.centAmount);
    expect(sum('Refund')).toBe(amount.centAmount);
  });
});

describe('POST /stripe/webhooks', () => {
  it(`${N} concurrent deliveries of one event apply it once`, async () => {
    const { paymentId, paymentIntentId } = await paid(processor);
    const payload = JSON.stringify({
      id: `evt_${paymentIntentId}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      livemode: false,
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: paymentIntentId, object: 'payment_intent' } },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    const responses = await many('POST /stripe/webhooks', `${processor.url}/stripe/webhooks`, {
      raw: payload,
      headers: { 'stripe-signature': signature },
    });
    // 503 is the webhook contract for "could not apply yet, retry" (a lost version race).
    expectNo5xx(
      responses.filter((r) => r.status !== 503),
      [200],
    );
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    const retried = await many(
      'POST /stripe/webhooks',
      `${processor.url}/stripe/webhooks`,
      { raw: payload, headers: { 'stripe-signature': signature } },
      3,
      true,
    );
    expectNo5xx(retried, [200]);
    const payment = await processor.deps.payments.ct.getPayment(paymentId);
    expectOnceEach(payment.transactions, ['Authorization', 'Charge'], payment.amountPlanned.centAmount);
    expect(await processor.deps.payments.ct.findOrderByPaymentId(paymentId)).toBeDefined();
  });
});

describe('read-only routes', () => {
  it.each(['/operations/config', '/config-element/payment', '/openapi.json'])(
    `${N} concurrent GET %s all answer 200`,
    async (path) => {
      const { sessionId } = await checkout(world);
      const responses = await many(`GET ${path}`, `${processor.url}${path}`, { session: sessionId });
      expectNo5xx(responses, [200]);
      expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
    },
  );
});
