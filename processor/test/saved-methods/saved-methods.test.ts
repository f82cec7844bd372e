import type Stripe from 'stripe';
import { CUSTOMER_TYPE_KEY, STRIPE_CUSTOMER_FIELD } from '../../src/core/metadata';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { installSavedCardTypes, newCustomer } from '../../testing/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let on: Processor;
let off: Processor;
let stripe: Stripe;

beforeAll(async () => {
  world = await startWorld();
  [on, off] = await Promise.all([
    startProcessor(world, { STRIPE_SAVED_PAYMENT_METHODS: 'on' }),
    startProcessor(world, {}),
  ]);
  await installSavedCardTypes(on);
  stripe = stripeFor(world);
});
afterAll(async () => {
  await Promise.all([on?.close(), off?.close()]);
  await world?.stop();
});

async function ctCustomer(id: string) {
  return (
    await on.deps.sdk.ctAPI.client
      .customers()
      .withId({ ID: id })
      .get({ queryArgs: { expand: ['custom.type'] } })
      .execute()
  ).body;
}

async function stripeCustomersOf(ctCustomerId: string): Promise<Stripe.Customer[]> {
  const found = await stripe.customers.search({ query: `metadata['ct_customer_id']:'${ctCustomerId}'` });
  return found.data;
}

describe('STRIPE_SAVED_PAYMENT_METHODS', () => {
  it('is off by default and on when set', () => {
    expect(off.config.stripe.savedPaymentMethods).toBe(false);
    expect(on.config.stripe.savedPaymentMethods).toBe(true);
  });
});

describe('GET /operations/config: storedPaymentMethodsEnabled', () => {
  it('true only with the feature on and a customer on the session cart', async () => {
    const customerId = await newCustomer(on);
    const withCustomer = await checkout(world, { customerId });
    const anonymous = await checkout(world);
    const ask = async (p: Processor, session: string) =>
      (await call(`${p.url}/operations/config`, { session })).body.storedPaymentMethodsEnabled;
    expect(await ask(on, withCustomer.sessionId)).toBe(true);
    expect(await ask(on, anonymous.sessionId)).toBe(false);
    expect(await ask(off, withCustomer.sessionId)).toBe(false);
  });
});

describe('GET /config-element/payment: customerSessionClientSecret', () => {
  it("a Stripe Customer Session of the cart customer's Stripe customer, which is linked both ways", async () => {
    const customerId = await newCustomer(on);
    const { sessionId } = await checkout(world, { customerId });
    const res = await call(`${on.url}/config-element/payment`, { session: sessionId });
    expect(res.status).toBe(200);
    expect(res.body.customerSessionClientSecret).toMatch(/^cuss_secret_/);

    const [stripeCustomer, ...others] = await stripeCustomersOf(customerId);
    expect(others).toEqual([]);
    expect(stripeCustomer!.metadata).toMatchObject({ ct_customer_id: customerId, ct_project_key: 'sandbox' });
    const customer = await ctCustomer(customerId);
    expect(customer.custom?.type.obj?.key).toBe(CUSTOMER_TYPE_KEY);
    expect(customer.custom?.fields[STRIPE_CUSTOMER_FIELD]).toBe(stripeCustomer!.id);
    // Never logged.
    expect(on.logs.join('\n')).not.toContain(res.body.customerSessionClientSecret);

    // A second visit finds the same Stripe customer.
    const again = await checkout(world, { customerId });
    expect((await call(`${on.url}/config-element/payment`, { session: again.sessionId })).status).toBe(200);
    expect((await stripeCustomersOf(customerId)).map((c) => c.id)).toEqual([stripeCustomer!.id]);
  });

  it('absent for an anonymous cart, and with the feature off', async () => {
    const anonymous = await checkout(world);
    const anon = await call(`${on.url}/config-element/payment`, { session: anonymous.sessionId });
    expect(anon.status).toBe(200);
    expect(anon.body).not.toHaveProperty('customerSessionClientSecret');
    const customerId = await newCustomer(on);
    const { sessionId } = await checkout(world, { customerId });
    const res = await call(`${off.url}/config-element/payment`, { session: sessionId });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('customerSessionClientSecret');
    expect(await stripeCustomersOf(customerId)).toEqual([]);
  });
});

describe('POST /payments with saved payment methods', () => {
  it('storePaymentDetails: the PaymentIntent has the customer and setup_future_usage off_session', async () => {
    const customerId = await newCustomer(on);
    const { sessionId } = await checkout(world, { customerId });
    const res = await call(`${on.url}/payments`, { session: sessionId, json: { storePaymentDetails: true } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      ['amount', 'cartId', 'clientSecret', 'currency', 'merchantReturnUrl', 'paymentReference'].sort(),
    );
    const pi = await stripe.paymentIntents.retrieve(res.body.clientSecret.split('_secret_')[0]);
    const [stripeCustomer] = await stripeCustomersOf(customerId);
    expect(pi.customer).toBe(stripeCustomer!.id);
    expect(pi.setup_future_usage).toBe('off_session');
    expect(pi.metadata.ct_customer_id).toBe(customerId);

    // The browser pays; Stripe attaches the card to the customer for later off-session use.
    const confirmed = await browserConfirm(world, res.body.clientSecret, 'pm_card_visa');
    expect(confirmed).toMatchObject({ status: 'succeeded' });
    const methods = await stripe.customers.listPaymentMethods(stripeCustomer!.id);
    expect(methods.data.map((m) => m.id)).toEqual([(confirmed as Stripe.PaymentIntent).payment_method]);
  });

  it('without storePaymentDetails a customer pays with the customer set and nothing saved', async () => {
    const customerId = await newCustomer(on);
    const { sessionId } = await checkout(world, { customerId });
    const res = await call(`${on.url}/payments`, { session: sessionId, json: {} });
    expect(res.status).toBe(200);
    const pi = await stripe.paymentIntents.retrieve(res.body.clientSecret.split('_secret_')[0]);
    expect(pi.customer).toEqual(expect.stringMatching(/^cus_/));
    expect(pi.setup_future_usage).toBeNull();
  });

  it('choosing to save after a first POST /payments gives the open PaymentIntent setup_future_usage', async () => {
    const customerId = await newCustomer(on);
    const { sessionId } = await checkout(world, { customerId });
    const first = await call(`${on.url}/payments`, { session: sessionId, json: {} });
    const second = await call(`${on.url}/payments`, { session: sessionId, json: { storePaymentDetails: true } });
    expect(second.status).toBe(200);
    const pi = await stripe.paymentIntents.retrieve(second.body.clientSecret.split('_secret_')[0]);
    expect(pi.setup_future_usage).toBe('off_session');
    expect(second.body.paymentReference).toBe(first.body.paymentReference);
  });

  it('concurrent first payments of one customer make one Stripe customer', async () => {
    const customerId = await newCustomer(on);
    const carts = await Promise.all([1, 2, 3].map(() => checkout(world, { customerId })));
    const answers = await Promise.all(
      carts.map((c) => call(`${on.url}/payments`, { session: c.sessionId, json: { storePaymentDetails: true } })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const customers = await Promise.all(
      answers.map(
        async (a) => (await stripe.paymentIntents.retrieve(a.body.clientSecret.split('_secret_')[0])).customer,
      ),
    );
    expect(new Set(customers).size).toBe(1);
    expect((await stripeCustomersOf(customerId)).map((c) => c.id)).toEqual([customers[0]]);
  });

  it('refuses saving for an anonymous cart and with the feature off, and a stored method that is not the customer’s', async () => {
    const anonymous = await checkout(world);
    const a = await call(`${on.url}/payments`, { session: anonymous.sessionId, json: { storePaymentDetails: true } });
    expect(a.status).toBe(400);
    const customerId = await newCustomer(on);
    const c = await checkout(world, { customerId });
    const b = await call(`${off.url}/payments`, { session: c.sessionId, json: { storePaymentDetails: true } });
    expect(b.status).toBe(400);
    const d = await call(`${on.url}/payments`, {
      session: c.sessionId,
      json: { storedPaymentMethodId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(d.status).toBe(400);
    expect(d.body.errors[0].code).toBe('InvalidInput');
    // Nothing was made for the refused requests.
    expect((await call(`${on.url}/payments`, { session: c.sessionId, json: {} })).status).toBe(200);
  });
});

// The sandbox's commercetools does not serve `/{projectKey}/payment-methods` yet (the
// @labdigital/commercetools-mock lacks it): these run once it does.
describe('saved payment methods in commercetools', () => {
  async function paySaving(customerId: string) {
    const { sessionId } = await checkout(world, { customerId });
    const res = await call(`${on.url}/payments`, { session: sessionId, json: { storePaymentDetails: true } });
    const confirmed = (await browserConfirm(world, res.body.clientSecret, 'pm_card_visa')) as Stripe.PaymentIntent;
    const outcome = await call(`${on.url}/confirmPayments/${res.body.paymentReference}`, {
      session: sessionId,
      json: {},
    });
    expect(outcome.body.outcome).toBe('approved');
    return { sessionId, pm: confirmed.payment_method as string };
  }

  it('a payment that saved its card makes one commercetools payment method, listed without its token', async () => {
    const customerId = await newCustomer(on);
    const { sessionId, pm } = await paySaving(customerId);
    const list = await call(`${on.url}/stored-payment-methods`, { session: sessionId });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      storedPaymentMethods: [
        {
          id: expect.any(String),
          type: 'card',
          createdAt: expect.any(String),
          isDefault: false,
          displayOptions: {
            name: 'Visa •••• 4242',
            brand: 'visa',
            endDigits: '4242',
            // Texts, as the enabler contract has them: two-digit month, four-digit year.
            expiryMonth: expect.stringMatching(/^(0[1-9]|1[0-2])$/),
            expiryYear: expect.stringMatching(/^20\d{2}$/),
          },
        },
      ],
    });
    expect(JSON.stringify(list.body)).not.toContain(pm);
    const methods = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
    expect(methods.map((m) => ({ key: m.key, token: m.token?.value, status: m.paymentMethodStatus }))).toEqual([
      { key: `stripe-${pm}`, token: pm, status: 'Active' },
    ]);
  });

  it('paying with a stored method sets it on the PaymentIntent; another customer cannot use it', async () => {
    const customerId = await newCustomer(on);
    const { pm } = await paySaving(customerId);
    const [method] = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
    const next = await checkout(world, { customerId });
    const res = await call(`${on.url}/payments`, {
      session: next.sessionId,
      json: { storedPaymentMethodId: method!.id },
    });
    expect(res.status).toBe(200);
    const pi = await stripe.paymentIntents.retrieve(res.body.clientSecret.split('_secret_')[0]);
    expect(pi.payment_method).toBe(pm);

    const stranger = await checkout(world, { customerId: await newCustomer(on) });
    const refused = await call(`${on.url}/payments`, {
      session: stranger.sessionId,
      json: { storedPaymentMethodId: method!.id },
    });
    expect(refused.status).toBe(400);
  });

  it("DELETE /stored-payment-methods/:id detaches at Stripe and deletes; another customer's id is 404", async () => {
    const customerId = await newCustomer(on);
    const { sessionId, pm } = await paySaving(customerId);
    const [method] = await on.deps.payments.ct.findPaymentMethods(`customer(id="${customerId}")`);
    const stranger = await checkout(world, { customerId: await newCustomer(on) });
    const foreign = await call(`${on.url}/stored-payment-methods/${method!.id}`, {
      method: 'DELETE',
      session: stranger.sessionId,
    });
    expect(foreign.status).toBe(404);
    const del = await call(`${on.url}/stored-payment-methods/${method!.id}`, { method: 'DELETE', session: sessionId });
    expect(del.status).toBe(204);
    expect((await stripe.paymentMethods.retrieve(pm)).customer).toBeNull();
    expect((await call(`${on.url}/stored-payment-methods`, { session: sessionId })).body).toEqual({
      storedPaymentMethods: [],
    });
  });
});
