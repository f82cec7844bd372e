import type { Payment } from '@commercetools/platform-sdk';
import { ordersOf } from '../../testing/cart';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { control, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let auto: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  auto = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' });
  token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
});
afterAll(async () => {
  await auto?.close();
  await world?.stop();
});
afterEach(() => control(world, '/refunds/mode', { pending: false }));

async function paidOrder() {
  const { sessionId, cartId } = await checkout(world);
  const created = await call(`${auto.url}/payments`, { session: sessionId, json: {} });
  await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
  await quiesce(world);
  const state = async () => (await ordersOf(auto, cartId))[0]?.paymentState;
  expect(await state()).toBe('Paid');
  return {
    paymentId: created.body.paymentReference as string,
    paymentIntentId: (created.body.clientSecret as string).split('_secret_')[0]!,
    state,
  };
}
const refund = (paymentId: string, centAmount: number) =>
  call(`${auto.url}/operations/payment-intents/${paymentId}`, {
    headers: { authorization: `Bearer ${token}` },
    json: { actions: [{ action: 'refundPayment', amount: { centAmount, currencyCode: 'EUR' } }] },
  });
const payment = (id: string): Promise<Payment> => auto.deps.sdk.ctAPI.payment.getPaymentById(id);

it('a partial refund keeps the order Paid; refunding the rest makes it Failed', async () => {
  const { paymentId, state } = await paidOrder();
  await refund(paymentId, 999);
  await quiesce(world);
  expect(await state()).toBe('Paid');
  await refund(paymentId, 2000);
  await quiesce(world);
  expect(await state()).toBe('Failed');
});

it('a full refund still pending makes the order CreditOwed, then Failed once it succeeds', async () => {
  const { paymentId, paymentIntentId, state } = await paidOrder();
  await control(world, '/refunds/mode', { pending: true });
  expect((await refund(paymentId, 2999)).body.outcome).toBe('received');
  await quiesce(world);
  expect(await state()).toBe('CreditOwed');
  const [pending] = (await stripeFor(world).refunds.list({ payment_intent: paymentIntentId })).data;
  await control(world, `/refunds/${pending!.id}/settle`, { outcome: 'succeeded' });
  await quiesce(world);
  expect(await state()).toBe('Failed');
});

it('a lost chargeback makes the order BalanceDue', async () => {
  const { paymentIntentId, state } = await paidOrder();
  const dispute = await control(world, `/payment_intents/${paymentIntentId}/dispute`, {});
  await quiesce(world);
  expect(await state()).toBe('Paid');
  await control(world, `/disputes/${dispute.id}/close`, { outcome: 'lost' });
  await quiesce(world);
  expect(await state()).toBe('BalanceDue');
});

it('an inquiry moves no money: no Chargeback transaction, the order stays Paid', async () => {
  const { paymentId, paymentIntentId, state } = await paidOrder();
  const inquiry = await control(world, `/payment_intents/${paymentIntentId}/dispute`, { inquiry: true });
  await quiesce(world);
  expect((await payment(paymentId)).transactions.filter((t) => t.type === 'Chargeback')).toEqual([]);
  await control(world, `/disputes/${inquiry.id}/close`, { outcome: 'won' });
  await quiesce(world);
  expect((await payment(paymentId)).transactions.filter((t) => t.type === 'Chargeback')).toEqual([]);
  expect(await state()).toBe('Paid');
});
