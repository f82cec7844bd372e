import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { control, ctControl, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

/**
 * Without an Idempotency-Key, a request repeats the identical request not yet answered when it
 * arrived. An answer is recorded a moment before its caller receives it (slower when
 * commercetools is slow): a retry arriving in that moment, whose read of the payment lands after
 * the answer was recorded, is still the retry, and moves no money again.
 */

let world: World;
let auto: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  auto = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic', CREATE_ORDERS: 'false' });
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await auto?.close();
  await world?.stop();
});
afterEach(async () => {
  await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });
  await control(world, '/webhooks/resume', {});
});

const op = (p: Processor, paymentId: string, action: Record<string, unknown>) =>
  call(`${p.url}/operations/payment-intents/${paymentId}`, {
    headers: { authorization: `Bearer ${token}` },
    json: { actions: [action] },
  });
const refund500 = { action: 'refundPayment', amount: { centAmount: 500, currencyCode: 'EUR' } };
const ctFaults = async () =>
  (await call(`${world.sandbox.info.commercetools}/_sandbox/faults`)).body.faults as { method: string }[];

async function until(check: () => Promise<boolean>, timeoutMs = 10000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a keyless retry sent before the first request was answered', () => {
  it('refunds once', async () => {
    const { sessionId } = await checkout(world);
    const created = await call(`${auto.url}/payments`, { session: sessionId, json: {} });
    const ref = created.body.paymentReference as string;
    const piId = (created.body.clientSecret as string).split('_secret_')[0]!;
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    await quiesce(world);
    await control(world, '/webhooks/pause', {});

    const path = `/sandbox/payments/${ref}`;
    await ctControl(world, '/faults', [
      // The first request: its record goes through, its answer takes 2 s to reach commercetools.
      { method: 'POST', path, delayMs: 0, times: 1 },
      { method: 'POST', path, delayMs: 2000, times: 1 },
      // Its own first read, then the retry's read, which is slow.
      { method: 'GET', path, delayMs: 0, times: 1 },
      { method: 'GET', path, delayMs: 3000, times: 1 },
    ]);
    const first = op(auto, ref, refund500);
    // The first request's answer is on its way to commercetools; its caller has no answer yet
    // (its client gave up) and sends the same request again.
    await until(async () => (await ctFaults()).filter((f) => f.method === 'POST').length === 0);
    let firstAnswered = false;
    void first.then(() => (firstAnswered = true));
    const retry = op(auto, ref, refund500);
    await new Promise((r) => setTimeout(r, 50));
    expect(firstAnswered).toBe(false);
    const answers = await Promise.all([first, retry]);
    expect(answers.map((a) => a.body.outcome)).toEqual(['approved', 'approved']);

    await control(world, '/webhooks/resume', {});
    await quiesce(world);
    const refunds = await stripeFor(world).refunds.list({ payment_intent: piId });
    expect(refunds.data.map((r) => r.amount)).toEqual([500]);
  });
});
