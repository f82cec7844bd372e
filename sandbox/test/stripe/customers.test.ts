import type Stripe from 'stripe';
import { eventTypes, startEmulator, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

describe('customers and customer sessions', () => {
  it('creates, updates, retrieves, searches and deletes customers', async () => {
    const tag = `ct-${Date.now()}`;
    const customer = await h.stripe.customers.create({ email: 'a@example.com', metadata: { ct_customer_id: tag } });
    expect(customer).toMatchObject({ object: 'customer', email: 'a@example.com', metadata: { ct_customer_id: tag } });
    expect((await h.stripe.customers.update(customer.id, { name: 'Sandra' })).name).toBe('Sandra');
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      email: 'a@example.com',
      name: 'Sandra',
    });
    const found = await h.stripe.customers.search({ query: `metadata['ct_customer_id']:'${tag}'` });
    expect(found.data.map((c) => c.id)).toEqual([customer.id]);
    expect((await h.stripe.customers.search({ query: `email:'a@example.com'` })).data.map((c) => c.id)).toContain(
      customer.id,
    );
    expect(await eventTypes(h, customer.id)).toEqual(['customer.created', 'customer.updated']);
    expect(await h.stripe.customers.del(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    expect(await stripeError(h.stripe.customers.retrieve(customer.id))).toMatchObject({ statusCode: 404 });
  });

  it('shows addresses and shipping with every field: null where none was given', async () => {
    const customer = await h.stripe.customers.create({
      address: { line1: 'Unter den Linden 1', country: 'DE' },
      shipping: { name: 'Jenny', address: { city: 'Berlin' } },
    });
    expect(customer.address).toEqual({
      city: null,
      country: 'DE',
      line1: 'Unter den Linden 1',
      line2: null,
      postal_code: null,
      state: null,
    });
    expect(customer.shipping).toEqual({
      name: 'Jenny',
      address: { city: 'Berlin', country: null, line1: null, line2: null, postal_code: null, state: null },
      carrier: null,
      phone: null,
      tracking_number: null,
    });
    const updated = await h.stripe.customers.update(customer.id, { shipping: '' as never });
    expect(updated.shipping).toBeNull();
  });

  it('refuses a malformed search query', async () => {
    expect(await stripeError(h.stripe.customers.search({ query: 'metadata[oops' }))).toMatchObject({
      statusCode: 400,
      param: 'query',
    });
  });

  it('creates a customer session for the Payment Element', async () => {
    const customer = await h.stripe.customers.create({});
    const session = await h.stripe.customerSessions.create({
      customer: customer.id,
      components: { payment_element: { enabled: true } },
    });
    expect(session).toMatchObject({
      object: 'customer_session',
      customer: customer.id,
      components: { payment_element: { enabled: true } },
    });
    expect(session.client_secret).toMatch(/^cuss_secret_/);
    // Every component, each field of the enabled one with Stripe's defaults.
    expect(session.components).toEqual({
      active_entitlements: { enabled: false },
      buy_button: { enabled: false },
      customer_portal: { enabled: false },
      customer_sheet: { enabled: false, features: null },
      mobile_payment_element: { enabled: false, features: null },
      payment_element: {
        enabled: true,
        features: {
          payment_method_allow_redisplay_filters: ['always'],
          payment_method_redisplay: 'disabled',
          payment_method_redisplay_limit: 3,
          payment_method_remove: 'disabled',
          payment_method_save: 'disabled',
          payment_method_save_usage: null,
        },
      },
      pricing_table: { enabled: false },
    });
    expect(
      await stripeError(
        h.stripe.customerSessions.create({ customer: 'cus_nope', components: { payment_element: { enabled: true } } }),
      ),
    ).toMatchObject({ statusCode: 404 });
  });
});

describe('payment methods', () => {
  it('retrieves test payment methods with card details', async () => {
    const pm = await h.stripe.paymentMethods.retrieve('pm_card_mastercard');
    expect(pm).toMatchObject({ type: 'card', card: { brand: 'mastercard', last4: '4444', exp_month: 12 } });
    expect(await stripeError(h.stripe.paymentMethods.retrieve('pm_nope'))).toMatchObject({ statusCode: 404 });
  });

  it('attaches, lists and detaches; a declining card cannot be attached', async () => {
    const customer = await h.stripe.customers.create({});
    const pm = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'pm_card_visa' } } as never);
    const attached = await h.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data.map((m) => m.id)).toEqual([pm.id]);
    expect((await h.stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data).toHaveLength(1);
    // Without a customer Stripe lists only PaymentMethods for Treasury flows: none here.
    expect(await h.stripe.paymentMethods.list()).toMatchObject({ object: 'list', data: [], has_more: false });
    expect((await h.stripe.paymentMethods.detach(pm.id)).customer).toBeNull();
    const declining = await h.stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'pm_card_chargeDeclined' },
    } as never);
    expect(await stripeError(h.stripe.paymentMethods.attach(declining.id, { customer: customer.id }))).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
    });
  });
});

describe('detached payment methods', () => {
  it('a PaymentMethod detached after a PaymentIntent was made with it cannot confirm that PaymentIntent', async () => {
    const customer = await h.stripe.customers.create({});
    const pm = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'pm_card_visa' } } as never);
    await h.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const pi = await h.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer: customer.id,
      payment_method: pm.id,
      allowed_payment_method_types: ['card'],
    } as never);
    expect(pi.status).toBe('requires_confirmation');
    await h.stripe.paymentMethods.detach(pm.id);
    // Detachment is permanent: the PaymentMethod can no longer pay, whenever it was chosen.
    expect(await stripeError(h.stripe.paymentIntents.confirm(pi.id))).toMatchObject({
      statusCode: 400,
      param: 'payment_method',
    });
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_confirmation');
  });
});

describe('saved cards and off-session payments', () => {
  const offSession = (customer: string, paymentMethod: string) =>
    h.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer,
      payment_method: paymentMethod,
      off_session: true,
      confirm: true,
    });

  it('setup_future_usage saves the card to the customer; a card set up that way is charged off-session', async () => {
    const customer = await h.stripe.customers.create({});
    const pi = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'eur',
      customer: customer.id,
      setup_future_usage: 'off_session',
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    expect(pi.status).toBe('requires_action');
    await h.control(`/payment_intents/${pi.id}/authenticate`, { client_secret: pi.client_secret, outcome: 'succeed' });
    const saved = await h.stripe.paymentMethods.retrieve(String(pi.payment_method));
    expect(saved.customer).toBe(customer.id);
    expect(await eventTypes(h, saved.id)).toEqual(['payment_method.attached']);
    const later = await offSession(customer.id, saved.id);
    expect(later).toMatchObject({ status: 'succeeded', payment_method: saved.id });
  });

  it('off-session payment of a card that always needs authentication fails with authentication_required', async () => {
    const customer = await h.stripe.customers.create({});
    const pm = await h.stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'pm_card_authenticationRequired' },
    } as never);
    await h.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const err = await stripeError(offSession(customer.id, pm.id));
    expect(err).toMatchObject({ statusCode: 402, code: 'authentication_required' });
    expect(err.payment_intent).toMatchObject({ status: 'requires_payment_method' });
  });

  it('pm_card_visa saved with setup_future_usage=off_session is attached, listed and charged off-session', async () => {
    const customer = await h.stripe.customers.create({});
    const first = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'eur',
      customer: customer.id,
      setup_future_usage: 'off_session',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(first.status).toBe('succeeded');
    const pmId = String(first.payment_method);
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data.map((m) => m.id)).toEqual([pmId]);
    expect((await h.stripe.paymentMethods.list({ customer: customer.id })).data.map((m) => m.id)).toEqual([pmId]);
    const later = await offSession(customer.id, pmId);
    expect(later).toMatchObject({ status: 'succeeded', payment_method: pmId, customer: customer.id });
    // Detached, it is no longer the customer's, and may not be used again: neither charged nor attached.
    expect((await h.stripe.paymentMethods.detach(pmId)).customer).toBeNull();
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    const reused = await stripeError(offSession(customer.id, pmId));
    expect(reused).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'payment_method' });
    expect(reused.message).toMatch(/detached from a Customer\. It may not be used again/);
    expect(await stripeError(h.stripe.paymentMethods.attach(pmId, { customer: customer.id }))).toMatchObject({
      statusCode: 400,
      param: 'payment_method',
    });
    const open = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });
    expect(await stripeError(h.stripe.paymentIntents.confirm(open.id, { payment_method: pmId }))).toMatchObject({
      statusCode: 400,
      param: 'payment_method',
    });
    expect((await h.stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(2);
  });

  it('authentication_required leaves the PaymentIntent requires_payment_method with last_payment_error', async () => {
    const customer = await h.stripe.customers.create({});
    const pm = await h.stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'pm_card_authenticationRequired' },
    } as never);
    await h.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const err = await stripeError(offSession(customer.id, pm.id));
    expect(err).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'authentication_required' });
    const pi = err.payment_intent!;
    const stored = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(stored.status).toBe('requires_payment_method');
    expect(stored.last_payment_error).toMatchObject({
      code: 'authentication_required',
      payment_method: { id: pm.id },
    });
  });

  it('an off-session create replayed with its idempotency key answers the same PaymentIntent, charged once', async () => {
    const customer = await h.stripe.customers.create({});
    const pm = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'pm_card_visa' } } as never);
    await h.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const params = {
      amount: 1500,
      currency: 'eur',
      customer: customer.id,
      payment_method: pm.id,
      off_session: true,
      confirm: true,
    };
    const key = `off-session-${Date.now()}`;
    const a = await h.stripe.paymentIntents.create(params, { idempotencyKey: key });
    const b = await h.stripe.paymentIntents.create(params, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    expect((await h.stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
    const declined = await stripeError(
      (async () => {
        const other = await h.stripe.paymentMethods.create({
          type: 'card',
          card: { token: 'pm_card_authenticationRequired' },
        } as never);
        await h.stripe.paymentMethods.attach(other.id, { customer: customer.id });
        const failKey = `${key}-fail`;
        await stripeError(
          h.stripe.paymentIntents.create({ ...params, payment_method: other.id }, { idempotencyKey: failKey }),
        );
        return h.stripe.paymentIntents.create({ ...params, payment_method: other.id }, { idempotencyKey: failKey });
      })(),
    );
    // The error is replayed as it was answered.
    expect(declined).toMatchObject({ statusCode: 402, code: 'authentication_required' });
    expect((await h.stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(2);
  });

  it('allow_redisplay is kept on the PaymentMethod it is created with', async () => {
    const pm = await h.stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'pm_card_visa' },
      allow_redisplay: 'always',
    } as never);
    expect(pm.allow_redisplay).toBe('always');
    const plain = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'pm_card_visa' } } as never);
    expect(plain.allow_redisplay).toBe('unspecified');
  });
});
