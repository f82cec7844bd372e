import type { Payment } from '@commercetools/platform-sdk';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { control, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

/**
 * A retried cancel skips the request checks (it repeats what was recorded) and lets Stripe answer.
 * When its first attempt never reached Stripe and the authorization was released meanwhile
 * (expired, cancelled in the dashboard), or Stripe forgot the key of a first attempt that did
 * cancel, Stripe refuses to cancel a cancelled PaymentIntent: the state asked for is reached, so
 * the answer is `approved` and no Failure is recorded.
 */

let world: World;
let manual: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  manual = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual', CREATE_ORDERS: 'false' });
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await manual?.close();
  await world?.stop();
});
afterEach(async () => {
  await call(`${world.sandbox.info.stripe}/_sandbox/faults`, { method: 'DELETE' });
});

const op = (p: Processor, paymentId: string, action: Record<string, unknown>, key?: string) =>
  call(`${p.url}/operations/payment-intents/${paymentId}`, {
    headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    json: { actions: [action] },
  });
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);

describe('a retried cancel of an authorization released meanwhile', () => {
  it('is answered like the cancel it asked for, and records no refusal', async () => {
    const { sessionId } = await checkout(world);
    const created = await call(`${manual.url}/payments`, { session: sessionId, json: {} });
    const ref = created.body.paymentReference as string;
    const piId = (created.body.clientSecret as string).split('_secret_')[0]!;
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    await quiesce(world);

    // The cancel never reaches Stripe (503 to the connector and to stripe-node's own retries).
    await control(world, '/faults', {
      method: 'POST',
      path: `/v1/payment_intents/${piId}/cancel`,
      status: 503,
      times: 3,
    });
    expect((await op(manual, ref, { action: 'cancelPayment' }, 'cancel-order-17')).status).toBeGreaterThanOrEqual(500);
    // The authorization expires (or is cancelled in the dashboard) before the caller retries.
    await control(world, `/payment_intents/${piId}/expire`, {});
    await quiesce(world);

    const retried = await op(manual, ref, { action: 'cancelPayment' }, 'cancel-order-17');
    expect((await stripeFor(world).paymentIntents.retrieve(piId)).status).toBe('canceled');
    const after = await payment(manual, ref);
    // A new request for the same thing says approved:
    expect((await op(manual, ref, { action: 'cancelPayment' }, 'cancel-order-18')).body.outcome).toBe('approved');
    // ...and so must the retry of the one that was interrupted.
    expect(retried.body.outcome).toBe('approved');
    expect(after.transactions.filter((t) => t.type === 'CancelAuthorization' && t.state === 'Failure')).toEqual([]);
  });
});
