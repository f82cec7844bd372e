import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { call, canRunBrowser, startStandIn, typeCard, type StandInHarness } from './harness';

const describeBrowser = canRunBrowser ? describe : describe.skip;

describeBrowser('Stripe.js stand-in: saved cards and the save checkbox', () => {
  let h: StandInHarness;
  let page: Page;
  let closeContext: () => Promise<void>;

  beforeAll(async () => (h = await startStandIn()));
  afterAll(() => h?.close());
  beforeEach(async () => {
    const opened = await h.newPage();
    page = opened.page;
    closeContext = () => opened.context.close();
  });
  afterEach(async () => {
    await closeContext();
    expect(h.external).toEqual([]);
  });

  const session = (customer: string, features: Record<string, unknown> = {}) =>
    h.stripe.customerSessions.create({
      customer,
      components: {
        payment_element: {
          enabled: true,
          features: { payment_method_redisplay: 'enabled', payment_method_save: 'enabled', ...features },
        },
      },
    } as Stripe.CustomerSessionCreateParams);
  const intent = (customer: string, params: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
    h.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'eur',
      customer,
      automatic_payment_methods: { enabled: true },
      ...params,
    });
  const savedCard = async (customer: string, token: string, allowRedisplay: 'always' | 'limited' | 'unspecified') => {
    const pm = await h.stripe.paymentMethods.create({
      type: 'card',
      card: { token },
      allow_redisplay: allowRedisplay,
    } as never);
    return h.stripe.paymentMethods.attach(pm.id, { customer });
  };
  const confirm = (pi: Stripe.PaymentIntent) =>
    call(page, 'confirm', { clientSecret: pi.client_secret, redirect: 'if_required', confirmParams: {} });

  it('lists the cards the session may show again, above the card form, and pays with the chosen one', async () => {
    const customer = await h.stripe.customers.create({ email: 'saved@example.com' });
    const visa = await savedCard(customer.id, 'pm_card_visa', 'always');
    await savedCard(customer.id, 'pm_card_mastercard', 'limited');
    await savedCard(customer.id, 'pm_card_amex', 'unspecified');
    const pi = await intent(customer.id);
    const { client_secret } = await session(customer.id);
    expect(
      await call(page, 'setup', h.publishableKey, {
        clientSecret: pi.client_secret,
        customerSessionClientSecret: client_secret,
      }),
    ).toBe('ready');

    const saved = page.getByRole('radiogroup', { name: 'Saved payment methods' });
    expect(
      await saved.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.parentElement?.textContent)),
    ).toEqual(['Visa •••• 4242', 'New payment method']);
    expect(await saved.getByRole('radio', { name: 'Visa •••• 4242' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Card number').count()).toBe(0);

    const result = await confirm(pi);
    expect(result.paymentIntent).toMatchObject({ id: pi.id, status: 'succeeded', payment_method: visa.id });

    // "New payment method" brings the card form back, with the save checkbox.
    await saved.getByRole('radio', { name: 'New payment method' }).check();
    expect(await page.getByLabel('Card number').count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Save this card for future purchases' }).isChecked()).toBe(false);
  });

  it('with the allow_redisplay filters of the session, limited cards are shown too', async () => {
    const customer = await h.stripe.customers.create({});
    await savedCard(customer.id, 'pm_card_visa', 'always');
    await savedCard(customer.id, 'pm_card_mastercard', 'limited');
    const pi = await intent(customer.id);
    const { client_secret } = await session(customer.id, {
      payment_method_allow_redisplay_filters: ['always', 'limited'],
    });
    await call(page, 'setup', h.publishableKey, {
      clientSecret: pi.client_secret,
      customerSessionClientSecret: client_secret,
    });
    const radios = page.getByRole('radiogroup', { name: 'Saved payment methods' }).getByRole('radio');
    expect(await radios.count()).toBe(3);
    expect(await page.getByRole('radio', { name: 'Mastercard •••• 4444' }).count()).toBe(1);
  });

  it('the ticked save checkbox saves the new card to the customer for off-session use, shown again next time', async () => {
    const customer = await h.stripe.customers.create({});
    const pi = await intent(customer.id);
    const { client_secret } = await session(customer.id, { payment_method_save_usage: 'off_session' });
    await call(page, 'setup', h.publishableKey, {
      clientSecret: pi.client_secret,
      customerSessionClientSecret: client_secret,
    });
    expect(await page.getByRole('radiogroup', { name: 'Saved payment methods' }).count()).toBe(0);
    await typeCard(page, '4242 4242 4242 4242');
    await page.getByRole('checkbox', { name: 'Save this card for future purchases' }).check();
    const result = await confirm(pi);
    expect(result.paymentIntent).toMatchObject({ status: 'succeeded', setup_future_usage: 'off_session' });
    const pm = await h.stripe.paymentMethods.retrieve(String(result.paymentIntent.payment_method));
    expect(pm).toMatchObject({ customer: customer.id, allow_redisplay: 'always' });

    // Charged later without the shopper.
    const later = await h.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer: customer.id,
      payment_method: pm.id,
      off_session: true,
      confirm: true,
    });
    expect(later.status).toBe('succeeded');

    const next = await intent(customer.id);
    const again = await session(customer.id);
    await page.reload();
    await call(page, 'setup', h.publishableKey, {
      clientSecret: next.client_secret,
      customerSessionClientSecret: again.client_secret,
    });
    expect(await page.getByRole('radio', { name: 'Visa •••• 4242' }).isChecked()).toBe(true);
  });

  it('an unticked checkbox saves nothing; without payment_method_save there is no checkbox', async () => {
    const customer = await h.stripe.customers.create({});
    const pi = await intent(customer.id);
    const { client_secret } = await session(customer.id);
    await call(page, 'setup', h.publishableKey, {
      clientSecret: pi.client_secret,
      customerSessionClientSecret: client_secret,
    });
    await typeCard(page, '4242 4242 4242 4242');
    const result = await confirm(pi);
    expect(result.paymentIntent.setup_future_usage).toBeNull();
    expect((await h.stripe.paymentMethods.retrieve(String(result.paymentIntent.payment_method))).customer).toBeNull();

    const noSave = await session(customer.id, { payment_method_save: 'disabled' });
    await page.reload();
    await call(page, 'setup', h.publishableKey, {
      clientSecret: (await intent(customer.id)).client_secret,
      customerSessionClientSecret: noSave.client_secret,
    });
    expect(await page.getByLabel('Card number').count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Save this card for future purchases' }).count()).toBe(0);
  });

  it('an invalid customer session secret is a load error', async () => {
    const customer = await h.stripe.customers.create({});
    const pi = await intent(customer.id);
    const result = await call(page, 'setup', h.publishableKey, {
      clientSecret: pi.client_secret,
      customerSessionClientSecret: 'cuss_secret_nope',
    });
    expect(result.loaderror).toMatchObject({ type: 'invalid_request_error' });
  });

  describe('confirmPayment without Elements, for a PaymentIntent that has a stored card', () => {
    const confirmStored = (pi: Stripe.PaymentIntent) =>
      page.evaluate(
        ([pk, secret]) =>
          (window as unknown as { Stripe: (key: string) => any })
            .Stripe(pk)
            .confirmPayment({ clientSecret: secret, redirect: 'if_required' }),
        [h.publishableKey, pi.client_secret] as const,
      );

    it('confirms a card that needs no authentication', async () => {
      const customer = await h.stripe.customers.create({});
      const pm = await savedCard(customer.id, 'pm_card_visa', 'always');
      const pi = await intent(customer.id, { payment_method: pm.id });
      const result = await confirmStored(pi);
      expect(result.paymentIntent).toMatchObject({ id: pi.id, status: 'succeeded', payment_method: pm.id });
    });

    it.each([
      ['Complete', 'succeeded'],
      ['Fail', 'requires_payment_method'],
    ])('shows the 3-D Secure challenge for a card that needs it; "%s" leaves it %s', async (button, status) => {
      const customer = await h.stripe.customers.create({});
      const pm = await savedCard(customer.id, 'pm_card_authenticationRequired', 'always');
      const pi = await intent(customer.id, { payment_method: pm.id });
      const pending = confirmStored(pi);
      const dialog = page.getByRole('dialog', { name: '3D Secure 2 Test Page' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: button }).click();
      const result = await pending;
      if (status === 'succeeded') expect(result.paymentIntent).toMatchObject({ id: pi.id, status });
      else
        expect(result.error).toMatchObject({
          code: 'payment_intent_authentication_failure',
          payment_intent: { id: pi.id, status },
        });
      expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe(status);
    });
  });
});
