import type { Payment } from '@commercetools/platform-sdk';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { control, ctControl, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/**
 * Two replicas: `slow` writes late (its commercetools write is held by an injected delay), `fast`
 * receives the webhooks meanwhile. A late write of an older Stripe state must never undo a newer one.
 */
let world: World;
let slow: Processor;
let fast: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  [slow, fast] = await Promise.all([
    startProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic', CREATE_ORDERS: 'false' }),
    startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic', CREATE_ORDERS: 'false' }),
  ]);
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await Promise.all([slow?.close(), fast?.close()]);
  await world?.stop();
});
afterEach(async () => {
  await control(world, '/webhooks/resume', {});
  await call(`${world.sandbox.info.stripe}/_sandbox/faults`, { method: 'DELETE' });
  await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const payment = (id: string): Promise<Payment> => fast.deps.sdk.ctAPI.payment.getPaymentById(id);
const txs = async (id: string) =>
  (await payment(id)).transactions.map((t) => `${t.type} ${t.state} ${t.amount.centAmount}`).sort();
async function until(what: () => Promise<boolean>, timeoutMs = 4000) {
  const started = Date.now();
  while (!(await what())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await sleep(25);
  }
}

it('a slow confirm of a declined attempt lands after the success: the payment stays authorized and paid', async () => {
  const { sessionId } = await checkout(world);
  const created = await call(`${slow.url}/payments`, { session: sessionId, json: {} });
  const ref = created.body.paymentReference as string;
  await control(world, '/webhooks/pause', {});
  await browserConfirm(world, created.body.clientSecret, 'pm_card_chargeDeclined');
  await ctControl(world, '/faults', { method: 'POST', path: `/sandbox/payments/${ref}`, delayMs: 3000, times: 1 });

  const late = call(`${slow.url}/confirmPayments/${ref}`, { session: sessionId, json: {} });
  await sleep(800);
  await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  await control(world, '/webhooks/resume', {});
  await until(async () => (await txs(ref)).includes('Authorization Success 2999'));

  expect((await late).body.outcome).toBe('approved');
  await quiesce(world);
  expect(await txs(ref)).toEqual(['Authorization Success 2999', 'Charge Success 2999']);
  expect((await payment(ref)).paymentStatus.interfaceCode).toBe('succeeded');
});

it('a slow refund write lands after the refund failed: the refund stays failed', async () => {
  const { sessionId } = await checkout(world);
  const created = await call(`${fast.url}/payments`, { session: sessionId, json: {} });
  const ref = created.body.paymentReference as string;
  const piId = (created.body.clientSecret as string).split('_secret_')[0]!;
  await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  await quiesce(world);
  await control(world, '/webhooks/pause', {});
  await control(world, '/faults', { method: 'POST', path: '/v1/refunds', delayMs: 2000, times: 1, phase: 'after' });

  const late = call(`${slow.url}/operations/payment-intents/${ref}`, {
    headers: { authorization: `Bearer ${token}` },
    json: { actions: [{ action: 'refundPayment', amount: { centAmount: 500, currencyCode: 'EUR' } }] },
  });
  await sleep(1500);
  // Stripe refunded; its answer is still on the way. The processor's write after it will be slow.
  await ctControl(world, '/faults', { method: 'POST', path: `/sandbox/payments/${ref}`, delayMs: 3000, times: 1 });
  await sleep(1000);
  const [refund] = (await stripeFor(world).refunds.list({ payment_intent: piId })).data;
  await control(world, `/refunds/${refund!.id}/settle`, { outcome: 'failed' });
  await control(world, '/webhooks/resume', {});
  await until(async () => (await txs(ref)).includes('Refund Failure 500'));

  expect((await late).body.outcome).not.toBe('approved');
  await quiesce(world);
  expect((await txs(ref)).filter((t) => t.startsWith('Refund'))).toEqual(['Refund Failure 500']);
}, 20_000);
