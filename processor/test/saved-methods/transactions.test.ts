import type Stripe from 'stripe';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { oauthToken } from '../../testing/tokens';
import { ordersOf } from '../../testing/cart';
import { installSavedCardTypes, newCustomer } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

/** `POST /operations/transactions`: commercetools Checkout charges a stored card off-session. */

let world: World;
let on: Processor;
let stripe: Stripe;
let token: string;

beforeAll(async () => {
  world = await startWorld();
  on = await startProcessor(world, { STRIPE_SAVED_PAYMENT_METHODS: 'on' });
  await installSavedCardTypes(on);
  stripe = stripeFor(world);
  token = await oauthToken(world, 'manage_checkout_transactions:sandbox');
});
afterAll(async () => {
  await on?.close();
  await world?.stop();
});

/** The shopper pays once saving the card (completing 3-D Secure when the card asks); its commercetools payment method. */
async function savedCard(customerId: string, card = 'pm_card_visa'): Promise<{ id: string; pm: string }> {
  const { sessionId } = await checkout(world, { customerId });
  const res = await call(`${on.url}/payments`, { session: sessionId, json: { storePaymentDetails: true } });
  const confirmed = (await browserConfirm(world, res.body.clientSecret, card)) as Stripe.PaymentIntent;
  if (confirmed.status === 'requires_action') {
    await call(`${world.sandbox.info.stripe}/_sandbox/payment_intents/${confirmed.id}/authenticate`, {
      json: { client_secret: res.body.clientSecret, outcome: 'succeed' },
    });
  }
  const outcome = await call(`${on.url}/confirmPayments/${res.body.paymentReference}`, {
    session: sessionId,
    json: {},
  });
  expect(outcome.body.outcome).toBe('approved');
  const [method] = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
  expect(method?.token?.value).toBe(confirmed.payment_method);
  return { id: method!.id, pm: confirmed.payment_method as string };
}

const item = () => crypto.randomUUID();

async function transaction(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  bearer = token,
): Promise<{ status: number; body: any }> {
  return call(`${on.url}/operations/transactions`, {
    json: body,
    headers: { authorization: `Bearer ${bearer}`, ...headers },
  });
}

async function paymentIntentsOf(customerId: string): Promise<Stripe.PaymentIntent[]> {
  const found = await stripe.paymentIntents.search({ query: `metadata['ct_customer_id']:'${customerId}'` });
  return found.data;
}

describe('POST /operations/transactions', () => {
  it('charges the stored card once, also when repeated with the same Idempotency-Key, recorded as a Charge', async () => {
    const customerId = await newCustomer(on);
    const method = await savedCard(customerId);
    const next = await checkout(world, { customerId });
    const body = {
      cartId: next.cartId,
      paymentInterface: 'stripe',
      checkoutTransactionItemId: item(),
      paymentMethod: { id: method.id },
      futureOrderNumber: `R-${Date.now()}`,
      type: 'StoredPaymentMethodPurchase',
    };
    const before = (await paymentIntentsOf(customerId)).length;
    const first = await transaction(body, { 'idempotency-key': `charge-${body.checkoutTransactionItemId}` });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      transactionStatus: { state: 'Completed', errors: [] },
      paymentReference: expect.any(String),
    });
    const again = await transaction(body, { 'idempotency-key': `charge-${body.checkoutTransactionItemId}` });
    // The same answer (headers such as the request id and date differ from call to call).
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    const made = (await paymentIntentsOf(customerId)).filter((pi) => pi.metadata.ct_cart_id === next.cartId);
    expect((await paymentIntentsOf(customerId)).length).toBe(before + 1);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      customer: expect.stringMatching(/^cus_/),
      payment_method: method.pm,
      amount: next.amountPlanned.centAmount,
      status: 'succeeded',
      metadata: {
        ct_payment_id: first.body.paymentReference,
        ct_cart_id: next.cartId,
        ct_project_key: 'sandbox',
        ct_order_number: body.futureOrderNumber,
        ct_checkout_transaction_item_id: body.checkoutTransactionItemId,
      },
    });

    const payment = await on.deps.payments.ct.getPayment(first.body.paymentReference);
    expect(payment).toMatchObject({
      interfaceId: made[0]!.id,
      checkoutTransactionItemId: body.checkoutTransactionItemId,
      customer: { typeId: 'customer', id: customerId },
      amountPlanned: { centAmount: next.amountPlanned.centAmount, currencyCode: next.amountPlanned.currencyCode },
    });
    expect(payment.transactions.map((t) => [t.type, t.state, t.amount.centAmount])).toContainEqual([
      'Charge',
      'Success',
      next.amountPlanned.centAmount,
    ]);
    const cart = await on.deps.payments.ct.getCart(next.cartId);
    expect(cart.paymentInfo?.payments.map((p) => p.id)).toEqual([payment.id]);
  });

  it('an amount of its own: same currency, at most what is left to pay', async () => {
    const customerId = await newCustomer(on);
    const method = await savedCard(customerId);
    const next = await checkout(world, { customerId });
    const base = { cartId: next.cartId, paymentInterface: 'stripe', paymentMethod: { id: method.id } };
    const { centAmount, currencyCode } = next.amountPlanned;
    const more = await transaction({
      ...base,
      checkoutTransactionItemId: item(),
      amount: { centAmount: centAmount + 1, currencyCode },
    });
    expect(more.status).toBe(400);
    const other = await transaction({
      ...base,
      checkoutTransactionItemId: item(),
      amount: { centAmount: 1, currencyCode: currencyCode === 'USD' ? 'EUR' : 'USD' },
    });
    expect(other.status).toBe(400);
    const part = await transaction({
      ...base,
      checkoutTransactionItemId: item(),
      amount: { centAmount: 100, currencyCode },
    });
    expect(part.status).toBe(201);
    expect(part.body.transactionStatus.state).toBe('Completed');
    const [pi] = (await stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${next.cartId}'` })).data;
    expect(pi).toMatchObject({ amount: 100, status: 'succeeded' });
    // Part of the cart, asked by Checkout: it stands (nothing given back).
    const charges = await stripe.charges.list({ payment_intent: pi!.id });
    expect(charges.data.map((c) => c.amount_refunded)).toEqual([0]);
  });

  it('a card that needs the shopper (authentication_required) answers Failed with the reason, recorded as a failed transaction', async () => {
    const customerId = await newCustomer(on);
    const method = await savedCard(customerId, 'pm_card_authenticationRequired');
    const next = await checkout(world, { customerId });
    const body = {
      cartId: next.cartId,
      paymentInterface: 'stripe',
      checkoutTransactionItemId: item(),
      paymentMethod: { id: method.id },
    };
    const res = await transaction(body, { 'idempotency-key': 'auth-required-1' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      transactionStatus: {
        state: 'Failed',
        errors: [{ code: 'PaymentRejected', message: expect.stringContaining('authentication_required') }],
      },
      paymentReference: expect.any(String),
    });
    const payment = await on.deps.payments.ct.getPayment(res.body.paymentReference);
    expect(payment.interfaceId).toMatch(/^pi_/);
    expect(payment.transactions.some((t) => t.state === 'Failure')).toBe(true);
    expect(payment.transactions.some((t) => t.state === 'Success')).toBe(false);
    // The repeat answers the same, without another attempt.
    const repeat = await transaction(body, { 'idempotency-key': 'auth-required-1' });
    expect({ status: repeat.status, body: repeat.body }).toEqual({ status: res.status, body: res.body });
    expect(
      (await stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${next.cartId}'` })).data,
    ).toHaveLength(1);
  });

  it('an Idempotency-Key used again with another body: 400, and nothing charged for the second body', async () => {
    const customerId = await newCustomer(on);
    const method = await savedCard(customerId);
    const next = await checkout(world, { customerId });
    const { currencyCode } = next.amountPlanned;
    const body = {
      cartId: next.cartId,
      paymentInterface: 'stripe',
      checkoutTransactionItemId: item(),
      paymentMethod: { id: method.id },
      amount: { centAmount: 100, currencyCode },
    };
    const key = `reused-${body.checkoutTransactionItemId}`;
    const first = await transaction(body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.body.transactionStatus.state).toBe('Completed');
    for (const other of [
      { ...body, amount: { centAmount: 200, currencyCode } },
      { ...body, checkoutTransactionItemId: item() },
      { ...body, futureOrderNumber: 'R-other' },
    ]) {
      const reused = await transaction(other, { 'idempotency-key': key });
      expect({ status: reused.status, code: reused.body.errors?.[0]?.code }).toEqual({
        status: 400,
        code: 'InvalidInput',
      });
      expect(reused.body.errors[0].message).toMatch(/Idempotency-Key/);
    }
    // The same body with the same key is the same request: the same answer.
    const again = await transaction(body, { 'idempotency-key': key });
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    const made = (await stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${next.cartId}'` })).data;
    expect(made.map((pi) => pi.amount)).toEqual([100]);
  });

  it('two transaction items of one cart at once, each asking more than half: one is charged, the other refused', async () => {
    const customerId = await newCustomer(on);
    const method = await savedCard(customerId);
    const next = await checkout(world, { customerId });
    const { centAmount, currencyCode } = next.amountPlanned;
    const part = Math.ceil(centAmount * 0.6);
    const ask = () =>
      transaction({
        cartId: next.cartId,
        paymentInterface: 'stripe',
        checkoutTransactionItemId: item(),
        paymentMethod: { id: method.id },
        amount: { centAmount: part, currencyCode },
      });
    const answers = await Promise.all([ask(), ask(), ask()]);
    const completed = answers.filter((a) => a.status === 201 && a.body.transactionStatus.state === 'Completed');
    expect(completed).toHaveLength(1);
    for (const refused of answers.filter((a) => !completed.includes(a))) {
      expect({ status: refused.status, code: refused.body.errors?.[0]?.code }).toEqual({
        status: 400,
        code: 'InvalidInput',
      });
    }
    const made = (await stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${next.cartId}'` })).data;
    expect(made.map((pi) => [pi.amount, pi.status])).toEqual([[part, 'succeeded']]);
  });

  it('a cart paid through commercetools Checkout is ordered by Checkout, not by the connector', async () => {
    const customerId = await newCustomer(on);
    const method = await savedCard(customerId);
    const next = await checkout(world, { customerId });
    const res = await transaction({
      cartId: next.cartId,
      paymentInterface: 'stripe',
      checkoutTransactionItemId: item(),
      paymentMethod: { id: method.id },
    });
    expect(res.body.transactionStatus.state).toBe('Completed');
    expect(await ordersOf(on, next.cartId)).toEqual([]);
    expect((await on.deps.payments.ct.getCart(next.cartId)).cartState).toBe('Active');
  });

  it("another customer's stored method, a cart without customer, no stored method: 400 and nothing made", async () => {
    const owner = await newCustomer(on);
    const method = await savedCard(owner);
    const stranger = await checkout(world, { customerId: await newCustomer(on) });
    const anonymous = await checkout(world);
    const base = { paymentInterface: 'stripe', paymentMethod: { id: method.id } };
    const foreign = await transaction({ ...base, cartId: stranger.cartId, checkoutTransactionItemId: item() });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].code).toBe('InvalidInput');
    const anon = await transaction({ ...base, cartId: anonymous.cartId, checkoutTransactionItemId: item() });
    expect(anon.status).toBe(400);
    const none = await transaction({
      cartId: stranger.cartId,
      paymentInterface: 'stripe',
      checkoutTransactionItemId: item(),
    });
    expect(none.status).toBe(400);
    for (const cartId of [stranger.cartId, anonymous.cartId]) {
      expect((await on.deps.payments.ct.getCartWithPayments(cartId)).paymentInfo?.payments ?? []).toEqual([]);
      expect((await stripe.paymentIntents.search({ query: `metadata['ct_cart_id']:'${cartId}'` })).data).toEqual([]);
    }
  });

  it('no token, or a token without manage_checkout_transactions / manage_project of this project: 401', async () => {
    const body = {
      cartId: crypto.randomUUID(),
      paymentInterface: 'stripe',
      checkoutTransactionItemId: item(),
      paymentMethod: { id: crypto.randomUUID() },
    };
    const none = await call(`${on.url}/operations/transactions`, { json: body });
    expect(none.status).toBe(401);
    for (const scope of [
      'manage_checkout_payment_intents:sandbox',
      'view_orders:sandbox',
      'manage_checkout_transactions:other',
      'manage_project:other',
    ]) {
      const res = await transaction(body, {}, await oauthToken(world, scope));
      expect({ scope, status: res.status }).toEqual({ scope, status: 401 });
    }
    // With manage_project: authenticated (the unknown cart is then refused as input).
    expect((await transaction(body, {}, await oauthToken(world, 'manage_project:sandbox'))).status).toBe(400);
  });
});
