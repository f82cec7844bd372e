import type { Payment } from '@commercetools/platform-sdk';
import { ordersOf } from '../../testing/cart';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { control, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

/**
 * The order does not depend on when the events arrive: a refund made in the dashboard before the
 * order exists (while the events were failing) gives the same order as one made after it, with
 * its payment state showing the refund. The connector moves no money of its own for it.
 */

let world: World;
let auto: Processor;

beforeAll(async () => {
  world = await startWorld();
  auto = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' });
});
afterAll(async () => {
  await auto?.close();
  await world?.stop();
});
afterEach(async () => {
  await control(world, '/webhooks/resume', {});
});

const piIdOf = (clientSecret: string) => clientSecret.split('_secret_')[0]!;
const payment = (p: Processor, id: string): Promise<Payment> => p.deps.sdk.ctAPI.payment.getPaymentById(id);

describe('a payment refunded before its order exists', () => {
  async function refundedBeforeOrder(refund: { amount?: number }) {
    const { sessionId, cartId } = await checkout(world);
    await control(world, '/webhooks/pause', {});
    const created = await call(`${auto.url}/payments`, { session: sessionId, json: {} });
    const piId = piIdOf(created.body.clientSecret);
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    await control(world, `/dashboard/payment_intents/${piId}/refund`, refund);
    await control(world, '/webhooks/resume', {});
    await quiesce(world);
    const refunds = (await stripeFor(world).refunds.list({ payment_intent: piId })).data.map((r) => r.amount);
    const txs = (await payment(auto, created.body.paymentReference)).transactions
      .map((t) => `${t.type} ${t.state} ${t.amount.centAmount}`)
      .sort();
    const orders = (await ordersOf(auto, cartId)).map((o) => `${o.totalPrice.centAmount} ${o.paymentState}`);
    return { refunds, txs, orders };
  }

  it('partly refunded: the order is created and Paid, and only the dashboard refund exists', async () => {
    expect(await refundedBeforeOrder({ amount: 2000 })).toEqual({
      refunds: [2000],
      txs: ['Authorization Success 2999', 'Charge Success 2999', 'Refund Success 2000'],
      orders: ['2999 Paid'],
    });
  });

  it('fully refunded: the order is created and Failed', async () => {
    expect(await refundedBeforeOrder({})).toEqual({
      refunds: [2999],
      txs: ['Authorization Success 2999', 'Charge Success 2999', 'Refund Success 2999'],
      orders: ['2999 Failed'],
    });
  });
});
