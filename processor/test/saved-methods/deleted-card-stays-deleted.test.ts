import type Stripe from 'stripe';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { installSavedCardTypes, newCustomer } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/**
 * A saved card the customer deleted stays deleted: a later sync of the payment that saved it
 * (the browser's confirm repeated, a webhook delivered again, reconcile) must not record it in
 * commercetools again, since Stripe no longer has it on the customer. Found by the chaos run
 * (invariant (i): a commercetools payment method for a detached Stripe PaymentMethod).
 */

let world: World;
let on: Processor;
let stripe: Stripe;

beforeAll(async () => {
  world = await startWorld();
  on = await startProcessor(world, { STRIPE_SAVED_PAYMENT_METHODS: 'on' });
  await installSavedCardTypes(on);
  stripe = stripeFor(world);
});
afterAll(async () => {
  await on?.close();
  await world?.stop();
});

it('a deleted saved card is not recorded again by a later sync of the payment that saved it', async () => {
  const customerId = await newCustomer(on, 'deleted');
  const { sessionId } = await checkout(world, { customerId });
  const res = await call(`${on.url}/payments`, { session: sessionId, json: { storePaymentDetails: true } });
  const confirmed = (await browserConfirm(world, res.body.clientSecret, 'pm_card_visa')) as Stripe.PaymentIntent;
  const pm = confirmed.payment_method as string;
  const confirm = () =>
    call(`${on.url}/confirmPayments/${res.body.paymentReference}`, { session: sessionId, json: {} });
  expect((await confirm()).body.outcome).toBe('approved');
  const [method] = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
  expect(method?.token?.value).toBe(pm);

  const del = await call(`${on.url}/stored-payment-methods/${method!.id}`, { method: 'DELETE', session: sessionId });
  expect(del.status).toBe(204);
  expect((await stripe.paymentMethods.retrieve(pm)).customer).toBeNull();

  // The shopper's browser confirms again (a reload): the payment is synced once more.
  expect((await confirm()).body.outcome).toBe('approved');
  const after = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
  expect(after.map((m) => ({ key: m.key, token: m.token?.value }))).toEqual([]);
  expect((await call(`${on.url}/stored-payment-methods`, { session: sessionId })).body).toEqual({
    storedPaymentMethods: [],
  });
});
