import type { Payment } from '@commercetools/platform-sdk';
import { reconcile } from '../../src/sync/reconcile';
import { ordersOf, setQuantity } from '../../testing/cart';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { control, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

/**
 * A payment released because the cart changed stays on the cart, so the order created from the
 * cart (paid by the next payment) lists it too. Its late events, and reconcile, must never set
 * that order's payment state from the released payment.
 */

let world: World;
let manual: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  manual = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual' });
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await manual?.close();
  await world?.stop();
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
const createPayment = (p: Processor, sessionId: string) => call(`${p.url}/payments`, { session: sessionId, json: {} });
const confirm = (p: Processor, sessionId: string, ref: string) =>
  call(`${p.url}/confirmPayments/${ref}`, { session: sessionId, json: {} });
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);
const op = (p: Processor, paymentId: string, action: Record<string, unknown>) =>
  call(`${p.url}/operations/payment-intents/${paymentId}`, {
    headers: { authorization: `Bearer ${token}` },
    json: { actions: [action] },
  });

/** P1 released for a cart change, P2 pays the new total and is captured: one order, Paid. */
async function releasedThenPaid() {
  const { sessionId, cartId } = await checkout(world);
  const first = await createPayment(manual, sessionId);
  const p1 = first.body.paymentReference as string;
  await setQuantity(manual, cartId, 2);
  await browserConfirm(world, first.body.clientSecret, 'pm_card_visa');
  expect((await confirm(manual, sessionId, p1)).body).toMatchObject({ outcome: 'rejected', errorCode: 'cart_changed' });
  await quiesce(world);

  const second = await createPayment(manual, sessionId);
  const p2 = second.body.paymentReference as string;
  await browserConfirm(world, second.body.clientSecret, 'pm_card_visa');
  expect((await confirm(manual, sessionId, p2)).body.outcome).toBe('approved');
  await quiesce(world);
  const captured = await op(manual, p2, {
    action: 'capturePayment',
    amount: { centAmount: 5499, currencyCode: 'EUR' },
  });
  expect(captured.body.outcome).toBe('approved');
  await quiesce(world);

  const [order] = await ordersOf(manual, cartId);
  expect(order!.totalPrice.centAmount).toBe(5499);
  expect(order!.paymentState).toBe('Paid');
  // The order lists the released payment too (it stayed on the cart).
  expect(order!.paymentInfo?.payments.map((p) => p.id).sort()).toEqual([p1, p2].sort());
  return { cartId, p1, p2, pi1: piIdOf(first.body.clientSecret), pi2: piIdOf(second.body.clientSecret) };
}

async function expectPaidAtStripe(p2: string, pi2: string) {
  const pi = await stripeFor(world).paymentIntents.retrieve(pi2);
  expect(pi.status).toBe('succeeded');
  expect(pi.amount_received).toBe(5499);
  expect((await payment(manual, p2)).transactions.some((t) => t.type === 'Charge' && t.state === 'Success')).toBe(true);
}

async function eventOf(type: string, piId: string) {
  const events = await stripeFor(world).events.list({ type, limit: 100 });
  const found = events.data.find((e) => {
    const o = e.data.object as { id: string; payment_intent?: string };
    return o.id === piId || o.payment_intent === piId;
  });
  if (!found) throw new Error(`no ${type} event for ${piId}`);
  return found;
}

describe('the order of a cart whose first payment was released for a cart change', () => {
  it('a late copy of the released payment’s event does not turn the order paid by the next payment into Failed', async () => {
    const { cartId, p2, pi1, pi2 } = await releasedThenPaid();

    // Stripe delivers P1's cancellation again (a retry, a late duplicate).
    await control(world, `/webhooks/events/${(await eventOf('payment_intent.canceled', pi1)).id}/resend`, {});
    await quiesce(world);

    await expectPaidAtStripe(p2, pi2);
    expect((await ordersOf(manual, cartId))[0]!.paymentState).toBe('Paid');
  });

  it('reconcile does not turn it into Failed either, and P2’s own events put it back', async () => {
    const { cartId, p2, pi2 } = await releasedThenPaid();

    const report = await reconcile(manual.deps.payments, new Date(Date.now() - 60_000));
    expect(report.failed).toBe(0);
    // P2's capture event arrives again: it is the payment of the order.
    await control(world, `/webhooks/events/${(await eventOf('charge.captured', pi2)).id}/resend`, {});
    await quiesce(world);

    await expectPaidAtStripe(p2, pi2);
    expect((await ordersOf(manual, cartId))[0]!.paymentState).toBe('Paid');
  });
});
