import type { Payment } from '@commercetools/platform-sdk';
import { ANSWER_GRACE_MS } from '../../src/operations/requests';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { control, ctControl, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let auto: Processor;
let auto2: Processor;
let multi: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  [auto, auto2, multi] = await Promise.all([
    startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic', CREATE_ORDERS: 'false' }),
    startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic', CREATE_ORDERS: 'false' }),
    startWiredProcessor(world, {
      STRIPE_CAPTURE_METHOD: 'manual',
      STRIPE_ENABLE_MULTICAPTURE: 'true',
      CREATE_ORDERS: 'false',
    }),
  ]);
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await Promise.all([auto?.close(), auto2?.close(), multi?.close()]);
  await world?.stop();
});
afterEach(async () => {
  await call(`${world.sandbox.info.stripe}/_sandbox/faults`, { method: 'DELETE' });
  await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });
  await control(world, '/webhooks/resume', {});
  await quiesce(world);
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

const op = (p: Processor, paymentId: string, action: Record<string, unknown>, key?: string) =>
  call(`${p.url}/operations/payment-intents/${paymentId}`, {
    headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    json: { actions: [action] },
  });
const eur = (centAmount: number) => ({ centAmount, currencyCode: 'EUR' });
const refund = (centAmount: number) => ({ action: 'refundPayment', amount: eur(centAmount) });
const capture = (centAmount: number) => ({ action: 'capturePayment', amount: eur(centAmount) });
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);
const live = async (p: Processor, id: string, type: string) =>
  (await payment(p, id)).transactions
    .filter((t) => t.type === type && t.state !== 'Failure')
    .map((t) => t.amount.centAmount);
const stripeRefunds = async (piId: string) =>
  (await stripeFor(world).refunds.list({ payment_intent: piId })).data.map((r) => r.amount).sort();
const captured = async (piId: string) =>
  (await stripeFor(world).paymentIntents.retrieve(piId, { expand: ['latest_charge'] })).latest_charge as {
    amount_captured: number;
  };
/** Stripe does the write, but every answer to it (stripe-node's own retries included) is lost. */
const loseAnswers = (path: string) =>
  control(world, '/faults', { method: 'POST', path, status: 500, times: 3, phase: 'after' });

describe('a request retried after a failure moves money once', () => {
  it('refund: 5xx after Stripe refunded, the webhook records it, the caller repeats the body: one refund; a later identical request is a second refund', async () => {
    const { paymentId, paymentIntentId } = await paid(auto);
    await loseAnswers('/v1/refunds');
    expect((await op(auto, paymentId, refund(500))).status).toBeGreaterThanOrEqual(500);
    await quiesce(world);
    expect(await live(auto, paymentId, 'Refund')).toEqual([500]);

    // The retry lands on another replica.
    expect((await op(auto2, paymentId, refund(500))).body.outcome).toBe('approved');
    expect(await stripeRefunds(paymentIntentId)).toEqual([500]);

    // Answered, and long enough ago for its caller to have had the answer: the same body again is
    // another refund.
    await new Promise((resolve) => setTimeout(resolve, ANSWER_GRACE_MS + 500));
    expect((await op(auto, paymentId, refund(500))).body.outcome).toBe('approved');
    await quiesce(world);
    expect(await stripeRefunds(paymentIntentId)).toEqual([500, 500]);
    expect(await live(auto, paymentId, 'Refund')).toEqual([500, 500]);
  });

  it('multicapture: 5xx after Stripe captured, the webhook records it, the caller repeats: one capture', async () => {
    const { paymentId, paymentIntentId } = await paid(multi);
    await loseAnswers(`/v1/payment_intents/${paymentIntentId}/capture`);
    expect((await op(multi, paymentId, capture(1000))).status).toBeGreaterThanOrEqual(500);
    await quiesce(world);
    expect(await live(multi, paymentId, 'Charge')).toEqual([1000]);

    expect((await op(multi, paymentId, capture(1000))).body.outcome).toBe('approved');
    expect((await captured(paymentIntentId)).amount_captured).toBe(1000);
    await quiesce(world);
    expect(await live(multi, paymentId, 'Charge')).toEqual([1000]);
  });

  it('a capture made in the dashboard meanwhile is never taken for the answer to a new request', async () => {
    const { paymentId, paymentIntentId } = await paid(multi);
    expect((await op(multi, paymentId, capture(1000))).body.outcome).toBe('approved');
    await control(world, '/webhooks/pause', {});
    await control(world, `/dashboard/payment_intents/${paymentIntentId}/capture`, { amount: 500, final: false });
    expect((await op(multi, paymentId, capture(500))).body.outcome).toBe('approved');
    expect((await captured(paymentIntentId)).amount_captured).toBe(2000);
    await control(world, '/webhooks/resume', {});
    await quiesce(world);
    expect((await live(multi, paymentId, 'Charge')).sort()).toEqual([1000, 500, 500].sort());
  });

  it('two identical requests at once on two replicas: one refund, both told the same', async () => {
    const { paymentId, paymentIntentId } = await paid(auto);
    const answers = await Promise.all([op(auto, paymentId, refund(700)), op(auto2, paymentId, refund(700))]);
    expect(answers.map((a) => a.body.outcome)).toEqual(['approved', 'approved']);
    expect(await stripeRefunds(paymentIntentId)).toEqual([700]);
  });
  it('the same keyed request on two replicas, one of them reading the payment before the other recorded it: both told approved, one refund', async () => {
    const { paymentId, paymentIntentId } = await paid(auto);
    // The first copy reads the payment at once but gets it late; its twin records and refunds
    // meanwhile, so Stripe's state then refuses the first copy's own check.
    await ctControl(world, '/faults', {
      method: 'GET',
      path: `/sandbox/payments/${paymentId}`,
      delayMs: 1500,
      phase: 'after',
      times: 1,
    });
    const first = op(auto, paymentId, refund(2999), 'full-refund-1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await op(auto2, paymentId, refund(2999), 'full-refund-1');
    expect(second.body.outcome).toBe('approved');
    expect((await first).body).toEqual(second.body);
    expect(await stripeRefunds(paymentIntentId)).toEqual([2999]);
  });
});

describe('Idempotency-Key', () => {
  it('the same key is the same operation, answered alike, also once answered; another body with it is refused', async () => {
    const { paymentId, paymentIntentId } = await paid(auto);
    const first = await op(auto, paymentId, refund(300), 'return-4711');
    expect(first.body.outcome).toBe('approved');
    const again = await op(auto2, paymentId, refund(300), 'return-4711');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await stripeRefunds(paymentIntentId)).toEqual([300]);

    const reused = await op(auto, paymentId, refund(400), 'return-4711');
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0].code).toBe('InvalidInput');

    expect((await op(auto, paymentId, refund(300), 'return-4712')).body.outcome).toBe('approved');
    expect(await stripeRefunds(paymentIntentId)).toEqual([300, 300]);
  });

  it('a key that is too long or not printable is refused before anything happens', async () => {
    const { paymentId, paymentIntentId } = await paid(auto);
    expect((await op(auto, paymentId, refund(300), 'x'.repeat(256))).status).toBe(400);
    expect((await op(auto, paymentId, refund(300), 'tab\there')).status).toBe(400);
    expect(await stripeRefunds(paymentIntentId)).toEqual([]);
  });
});

describe('reversePayment', () => {
  it('after a partial multicapture capture: the capture is refunded and the rest of the authorization released', async () => {
    const { paymentId, paymentIntentId } = await paid(multi);
    expect((await op(multi, paymentId, capture(1000))).body.outcome).toBe('approved');
    expect((await op(multi, paymentId, { action: 'reversePayment' })).body.outcome).toBe('approved');
    const pi = await stripeFor(world).paymentIntents.retrieve(paymentIntentId);
    expect(pi.status).toBe('canceled');
    expect(pi.amount_capturable).toBe(0);
    expect(await stripeRefunds(paymentIntentId)).toEqual([1000]);
    await quiesce(world);
    expect(await live(multi, paymentId, 'Refund')).toEqual([1000]);
    expect(await live(multi, paymentId, 'CancelAuthorization')).toEqual([1999]);
  });
});
