import type Stripe from 'stripe';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { installSavedCardTypes, newCustomer } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/**
 * `POST /operations/transactions` repeated on a replica whose capture method differs (a rolling
 * deploy that changes STRIPE_CAPTURE_METHOD): the first attempt charged at Stripe but could not
 * link its PaymentIntent to the commercetools payment; the repeat finds the payment unlinked and
 * charges the card a second time, since its PaymentIntent's parameters, and so its idempotency
 * key, differ. The card must be charged once. Found by the chaos run (copies of one charge on an
 * automatic- and a manual-capture replica: two charges for one request identity).
 */

let world: World;
let auto: Processor;
let manual: Processor;
let stripe: Stripe;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  [auto, manual] = await Promise.all([
    startProcessor(world, { STRIPE_SAVED_PAYMENT_METHODS: 'on', STRIPE_CAPTURE_METHOD: 'automatic' }),
    startProcessor(world, { STRIPE_SAVED_PAYMENT_METHODS: 'on', STRIPE_CAPTURE_METHOD: 'manual' }),
  ]);
  await installSavedCardTypes(auto);
  stripe = stripeFor(world);
  token = await oauthToken(world, 'manage_checkout_transactions:sandbox');
});
afterAll(async () => {
  await Promise.all([auto?.close(), manual?.close()]);
  await world?.stop();
});

const ctFaults = (json?: unknown) =>
  call(`${world.sandbox.info.commercetools}/_sandbox/faults`, json ? { json } : { method: 'DELETE' });

it('a repeat on a replica with another capture method does not charge the stored card again', async () => {
  const customerId = await newCustomer(auto, 'skew');
  const first = await checkout(world, { customerId });
  const res = await call(`${auto.url}/payments`, { session: first.sessionId, json: { storePaymentDetails: true } });
  await browserConfirm(world, res.body.clientSecret, 'pm_card_visa');
  const confirmed = await call(`${auto.url}/confirmPayments/${res.body.paymentReference}`, {
    session: first.sessionId,
    json: {},
  });
  expect(confirmed.body.outcome).toBe('approved');
  const [method] = await auto.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);

  const next = await checkout(world, { customerId });
  const body = {
    cartId: next.cartId,
    paymentInterface: 'stripe',
    checkoutTransactionItemId: crypto.randomUUID(),
    paymentMethod: { id: method!.id },
  };
  const send = (p: Processor) =>
    call(`${p.url}/operations/transactions`, {
      json: body,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `skew-${body.checkoutTransactionItemId}` },
    });

  // The first attempt charges, then commercetools refuses the payment's updates: no answer.
  await ctFaults({ method: 'POST', path: '/sandbox/payments/*', status: 503, times: 50 });
  const lost = await send(auto);
  await ctFaults();
  expect(lost.status).toBeGreaterThanOrEqual(500);

  const again = await send(manual);
  expect(again.status).toBe(201);
  expect(again.body.transactionStatus.state).toBe('Completed');
  const made = (await stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${next.cartId}'` })).data;
  const holding = made.filter((pi) => ['requires_capture', 'succeeded'].includes(pi.status));
  expect(holding.map((pi) => ({ id: pi.id, status: pi.status }))).toHaveLength(1);
});
