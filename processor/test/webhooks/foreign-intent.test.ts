import { randomUUID } from 'node:crypto';
import { converge } from '../../src/sync/converge';
import { reconcile } from '../../src/sync/reconcile';
import { syncPaymentIntent } from '../../src/sync/sync-payment-intent';
import { stripeFor } from '../../testing/stripe';
import { startWiredProcessor } from '../../testing/wired';
import { checkout, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;

beforeAll(async () => {
  world = await startWorld();
  processor = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' });
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

/**
 * A payment of a new cart, named by key, linked to one PaymentIntent (`winner`), and another
 * PaymentIntent naming the same key, paid (say, with a leaked secret or by a dashboard user): it
 * has money to record. `stale` is the payment as read before the link. The amount is the cart's
 * unless given.
 */
async function twoIntentsOfOneKey(amount?: number) {
  const { cartId } = await checkout(world);
  const { ct } = processor.deps.payments;
  const stripe = stripeFor(world);
  const cart = await processor.deps.sdk.ctAPI.cart.getCartById(cartId);
  const centAmount = amount ?? cart.taxedPrice?.totalGross.centAmount ?? cart.totalPrice.centAmount;
  const key = `${cartId}-${randomUUID()}`;
  const stale = await ct.createPayment({
    key,
    amountPlanned: { centAmount, currencyCode: 'EUR' },
    paymentMethodInfo: { paymentInterface: 'stripe' },
  });
  const intent = (more: object = {}) =>
    stripe.paymentIntents.create({
      amount: centAmount,
      currency: 'eur',
      allowed_payment_method_types: ['card'],
      metadata: { ct_payment_key: key, ct_cart_id: cartId, ct_project_key: 'sandbox' },
      ...more,
    } as never);
  const winner = await intent();
  await ct.updatePayment(stale, () => [{ action: 'setInterfaceId', interfaceId: winner.id }]);
  const other = await intent({ confirm: true, payment_method: 'pm_card_visa' });
  return { stripe, stale, winner, other, intent };
}

const paymentNow = (id: string) => processor.deps.sdk.ctAPI.payment.getPaymentById(id);

// Two PaymentIntents may name one payment (two requests of one cart version with different
// choices; one whose payment commercetools refused at first): only the one linked first is ever
// handed out, and no sync of the other may relink the payment or write its money on it.
it('a sync of a PaymentIntent planned from a copy of the payment taken before it was linked to another one writes nothing', async () => {
  // The cart asks another amount: the check against it would give the money back.
  const { stale, winner, other, intent } = await twoIntentsOfOneKey(1500);

  // A replica whose copy of the payment is the one from before the link.
  await expect(converge(processor.deps.payments, stale.id, other.id, { payment: stale })).rejects.toThrow(
    /another PaymentIntent/,
  );
  expect(await syncPaymentIntent(processor.deps.payments, other.id)).toMatchObject({ status: 'ignored' });
  const after = await paymentNow(stale.id);
  expect(after.interfaceId).toBe(winner.id);
  expect(after.transactions).toEqual([]);

  // Money that no payment records: reconcile reports it, the webhook path warns; an unpaid
  // PaymentIntent of the same key (never handed out) is ignored.
  const unpaid = await intent();
  const report = await reconcile(processor.deps.payments, new Date(Date.now() - 60_000), { dryRun: true });
  expect(report.items.find((i) => i.paymentIntentId === other.id)).toMatchObject({
    result: 'missing-payment',
    paymentId: stale.id,
  });
  expect(report.items.find((i) => i.paymentIntentId === unpaid.id)).toMatchObject({ result: 'ignored' });
  const warned = processor.logs
    .join('')
    .split('\n')
    .filter((line) => line.includes(other.id) && line.includes('"level":40'));
  expect(warned.length).toBeGreaterThan(0);
});

it('the same when the cart asks exactly what the other PaymentIntent took: the write from the old copy conflicts, and the copy read again shows the link', async () => {
  const { stripe, stale, winner, other } = await twoIntentsOfOneKey();

  await expect(converge(processor.deps.payments, stale.id, other.id, { payment: stale })).rejects.toThrow(
    /another PaymentIntent/,
  );
  const after = await paymentNow(stale.id);
  expect(after.interfaceId).toBe(winner.id);
  expect(after.transactions).toEqual([]);
  // Nothing given back either: the other PaymentIntent's money is not this payment's to move.
  expect((await stripe.refunds.list({ payment_intent: other.id })).data).toEqual([]);
});
