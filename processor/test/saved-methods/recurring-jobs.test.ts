import type Stripe from 'stripe';
import { PaymentInterfaceInteractionTypeKey } from '../../src/commercetools/custom-types';
import { JOB_CLAIM_MS } from '../../src/sync/saved-methods';
import { browserConfirm } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { installSavedCardTypes, newCustomer } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/**
 * A recurring cart's first payment gives commercetools Checkout its recurring payment job: one
 * per paying payment, with the commercetools payment method it saved or used, whatever repeats.
 */

let world: World;
let on: Processor;
let other: Processor;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  [on, other] = await Promise.all([
    startProcessor(world, { STRIPE_SAVED_PAYMENT_METHODS: 'on' }),
    startProcessor(world, { STRIPE_SAVED_PAYMENT_METHODS: 'on' }),
  ]);
  await installSavedCardTypes(on);
  token = await oauthToken(world, 'view_recurring_payment_jobs:sandbox');
});
afterAll(async () => {
  await Promise.all([on?.close(), other?.close()]);
  await world?.stop();
});

interface Job {
  id: string;
  originPayment: { id: string };
  paymentMethod: { id: string };
  status: { state: string };
}

async function jobsOf(paymentId: string): Promise<Job[]> {
  const where = encodeURIComponent(`originPayment(id="${paymentId}")`);
  const res = await call(`${world.sandbox.info.commercetools}/sandbox/recurring-payment-jobs?where=${where}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return res.body.results;
}

/** One checkout of the cart paid in the browser with `card` (a stored card's token when it pays with one); its payment id. */
async function pay(
  cart: { sessionId: string },
  body: Record<string, unknown>,
  card = 'pm_card_visa',
  /** Runs between the PaymentIntent's creation and the shopper's confirmation. */
  before?: (paymentId: string) => Promise<void>,
): Promise<string> {
  const res = await call(`${on.url}/payments`, { session: cart.sessionId, json: body });
  expect(res.status).toBe(200);
  await before?.(res.body.paymentReference);
  const confirmed = (await browserConfirm(world, res.body.clientSecret, card)) as Stripe.PaymentIntent;
  expect(confirmed.status).toBe('succeeded');
  const outcome = await call(`${on.url}/confirmPayments/${res.body.paymentReference}`, {
    session: cart.sessionId,
    json: {},
  });
  expect(outcome.body.outcome).toBe('approved');
  return res.body.paymentReference;
}

const confirmAgain = (cart: { sessionId: string }, paymentId: string) =>
  call(`${on.url}/confirmPayments/${paymentId}`, { session: cart.sessionId, json: {} });

describe('recurring payment jobs', () => {
  it('a recurring cart paid with a new card: the card is saved and one job made, however often the payment syncs', async () => {
    const first = await checkout(world, { recurring: true, email: `recurring-new-${Date.now()}@example.com` });
    const customerId = (first as unknown as { customerId: string }).customerId;
    const paymentId = await pay(first, {});
    await Promise.all([confirmAgain(first, paymentId), confirmAgain(first, paymentId)]);
    const [method, ...more] = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
    expect(more).toEqual([]);
    const jobs = await jobsOf(paymentId);
    expect(jobs.map((j) => [j.paymentMethod.id, j.status.state])).toEqual([[method!.id, 'Initial']]);
  });

  it('two replicas syncing the payment at once: one job', async () => {
    const cart = await checkout(world, { recurring: true, email: `replicas-${Date.now()}@example.com` });
    const res = await call(`${on.url}/payments`, { session: cart.sessionId, json: {} });
    await browserConfirm(world, res.body.clientSecret, 'pm_card_visa');
    const paymentId: string = res.body.paymentReference;
    const confirmOn = (p: Processor) =>
      call(`${p.url}/confirmPayments/${paymentId}`, { session: cart.sessionId, json: {} });
    await Promise.all([on, other, on, other, on, other].map(confirmOn));
    expect(await jobsOf(paymentId)).toHaveLength(1);
  });

  it('a recurring cart paid with a card saved before: a job with that payment method', async () => {
    const email = `recurring-stored-${Date.now()}@example.com`;
    const first = await checkout(world, { recurring: true, email });
    const customerId = (first as unknown as { customerId: string }).customerId;
    await pay(first, { storePaymentDetails: true });
    const [method] = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
    const second = await checkout(world, { recurring: true, email });
    const paymentId = await pay(second, { storedPaymentMethodId: method!.id }, method!.token!.value);
    await confirmAgain(second, paymentId);
    expect((await jobsOf(paymentId)).map((j) => j.paymentMethod.id)).toEqual([method!.id]);
    expect(await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`)).toHaveLength(1);
  });

  it('a cart that does not recur: the card is saved, no job', async () => {
    const customerId = await newCustomer(on, 'once');
    const cart = await checkout(world, { customerId });
    const paymentId = await pay(cart, { storePaymentDetails: true });
    expect(await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`)).toHaveLength(1);
    expect(await jobsOf(paymentId)).toEqual([]);
  });

  describe('a claim on the payment left by another process', () => {
    /** Another process's claim on the payment, made `ageMs` ago. */
    const claim = (ageMs: number) => async (paymentId: string) => {
      await on.deps.payments.ct.updatePayment(await on.deps.payments.ct.getPayment(paymentId), () => [
        {
          action: 'addInterfaceInteraction',
          type: { typeId: 'type', key: PaymentInterfaceInteractionTypeKey },
          fields: {
            interactionId: 'recurring-payment-job:claim:other',
            type: 'recurring-payment-job',
            createdAt: new Date(Date.now() - ageMs).toISOString(),
          },
        },
      ]);
    };

    it('while it is fresh, that process makes the job: none from here', async () => {
      const cart = await checkout(world, { recurring: true, email: `claimed-${Date.now()}@example.com` });
      const paymentId = await pay(cart, {}, 'pm_card_visa', claim(1_000));
      await confirmAgain(cart, paymentId);
      expect(await jobsOf(paymentId)).toEqual([]);
    });

    it('once it is older than a process would take (it died between the method and the job): the job is made', async () => {
      const cart = await checkout(world, { recurring: true, email: `abandoned-${Date.now()}@example.com` });
      const paymentId = await pay(cart, {}, 'pm_card_visa', claim(JOB_CLAIM_MS + 60_000));
      await confirmAgain(cart, paymentId);
      expect(await jobsOf(paymentId)).toHaveLength(1);
    });
  });
});
