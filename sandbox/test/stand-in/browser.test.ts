import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { call, canRunBrowser, startStandIn, typeCard, type StandInHarness } from './harness';

const describeBrowser = canRunBrowser ? describe : describe.skip;

describeBrowser('Stripe.js stand-in in Chromium', () => {
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
    // The acceptance rule: nothing a page does may leave the machine.
    expect(h.external).toEqual([]);
  });

  const deferred = (extra: Record<string, unknown> = {}) => ({
    mode: 'payment',
    amount: 2500,
    currency: 'eur',
    captureMethod: 'automatic',
    appearance: { theme: 'stripe', variables: { colorPrimary: '#0a7' } },
    locale: 'en',
    ...extra,
  });
  const createIntent = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
    h.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'eur',
      automatic_payment_methods: { enabled: true },
      ...params,
    });
  const confirm = (pi: Stripe.PaymentIntent, extra: Record<string, unknown> = {}) =>
    call(page, 'confirm', {
      clientSecret: pi.client_secret,
      confirmParams: { return_url: `${h.shopUrl}/return` },
      redirect: 'if_required',
      ...extra,
    });

  it('takes a typed test card, confirms the PaymentIntent and the emulator says succeeded', async () => {
    expect(await call(page, 'setup', h.publishableKey, deferred())).toBe('ready');
    await typeCard(page, '4242 4242 4242 4242');
    expect(await page.getByLabel('Card number').inputValue()).toBe('4242 4242 4242 4242');

    const log = await page.evaluate('window.log');
    expect(log).toEqual(
      expect.arrayContaining([
        { name: 'ready', elementType: 'payment' },
        { name: 'focus', elementType: 'payment' },
      ]),
    );
    expect((log as unknown[]).at(-1)).toEqual({
      name: 'change',
      elementType: 'payment',
      empty: false,
      complete: true,
      collapsed: false,
      value: { type: 'card' },
    });

    expect(await call(page, 'submit')).toEqual({ selectedPaymentMethod: 'card' });
    const pi = await createIntent();
    const result = await confirm(pi);
    expect(result.error).toBeUndefined();
    expect(result.paymentIntent).toMatchObject({ id: pi.id, status: 'succeeded', amount: 2500, currency: 'eur' });

    const stored = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method', 'latest_charge'] });
    expect(stored.status).toBe('succeeded');
    expect((stored.payment_method as Stripe.PaymentMethod).card).toMatchObject({
      brand: 'visa',
      last4: '4242',
      exp_month: 12,
      exp_year: 2034,
    });
    expect((stored.latest_charge as Stripe.Charge).amount_captured).toBe(2500);
  });

  it('answers a declined card with a card_error result and leaves the PaymentIntent payable', async () => {
    await call(page, 'setup', h.publishableKey, deferred());
    await typeCard(page, '4000 0000 0000 0002');
    await call(page, 'submit');
    const pi = await createIntent();
    const result = await confirm(pi);
    expect(result.paymentIntent).toBeUndefined();
    expect(result.error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      payment_intent: { id: pi.id, status: 'requires_payment_method' },
    });
    const stored = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(stored.status).toBe('requires_payment_method');
    expect(stored.last_payment_error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
  });

  it.each([
    ['Complete', 'succeeded'],
    ['Fail', 'requires_payment_method'],
  ])('shows the 3-D Secure challenge; "%s" leaves the PaymentIntent %s', async (button, status) => {
    await call(page, 'setup', h.publishableKey, deferred());
    await typeCard(page, '4000 0025 0000 3155');
    await call(page, 'submit');
    const pi = await createIntent();
    const pending = confirm(pi);
    const dialog = page.getByRole('dialog', { name: '3D Secure 2 Test Page' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('€25.00');
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_action');
    await dialog.getByRole('button', { name: button }).click();
    const result = await pending;
    expect(await dialog.count()).toBe(0);

    if (status === 'succeeded') {
      expect(result).toEqual({ paymentIntent: expect.objectContaining({ id: pi.id, status: 'succeeded' }) });
    } else {
      expect(result.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'payment_intent_authentication_failure',
        payment_intent: { id: pi.id, status: 'requires_payment_method' },
      });
    }
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe(status);
  });

  it('validates on submit as Stripe.js does, with validation_error results and inline messages', async () => {
    await call(page, 'setup', h.publishableKey, deferred());
    expect(await call(page, 'submit')).toEqual({
      error: { type: 'validation_error', code: 'incomplete_number', message: 'Your card number is incomplete.' },
    });
    expect(await page.getByRole('alert').textContent()).toBe('Your card number is incomplete.');

    await typeCard(page, '4242 4242 4242 4241');
    expect(await call(page, 'submit')).toMatchObject({ error: { type: 'validation_error', code: 'invalid_number' } });
    for (const label of ['Card number', 'Expiration date', 'Security code']) await page.getByLabel(label).fill('');
    await typeCard(page, '4242424242424242', '01 / 20', '12');
    expect(await call(page, 'submit')).toMatchObject({ error: { code: 'invalid_expiry_year_past' } });
    expect(await page.getByLabel('Expiration date').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Security code').getAttribute('aria-invalid')).toBe('true');

    const changes = ((await page.evaluate('window.log')) as { name: string; complete?: boolean }[]).filter(
      (e) => e.name === 'change',
    );
    expect(changes.every((e) => e.complete === false)).toBe(true);
  });

  it('refuses a capture method that differs from the PaymentIntent, without confirming it', async () => {
    await call(page, 'setup', h.publishableKey, deferred({ captureMethod: 'manual' }));
    expect(await page.getByRole('tab').count()).toBe(0); // manual capture: only cards can be offered
    await typeCard(page, '4242 4242 4242 4242');
    await call(page, 'submit');
    const automatic = await createIntent();
    const result = await confirm(automatic);
    expect(result.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('capture') });
    expect(await h.stripe.paymentIntents.retrieve(automatic.id)).toMatchObject({
      status: 'requires_payment_method',
      latest_charge: null,
    });

    const manual = await createIntent({
      capture_method: 'manual',
      automatic_payment_methods: undefined,
      allowed_payment_method_types: ['card'],
    });
    expect((await confirm(manual)).paymentIntent).toMatchObject({ status: 'requires_capture' });
  });

  it('enforces submit() before confirmPayment() with deferred Elements, and return_url when redirect is always', async () => {
    await call(page, 'setup', h.publishableKey, deferred());
    await typeCard(page, '4242 4242 4242 4242');
    const pi = await createIntent();
    expect(await confirm(pi)).toEqual({
      thrown: {
        name: 'IntegrationError',
        message: expect.stringContaining('elements.submit() must be called before stripe.confirmPayment()'),
      },
    });
    await call(page, 'submit');
    expect(await confirm(pi, { confirmParams: {}, redirect: undefined })).toEqual({
      thrown: { name: 'IntegrationError', message: expect.stringContaining('return_url') },
    });
    expect(await confirm(pi, { clientSecret: 'not-a-secret' })).toMatchObject({ thrown: { name: 'IntegrationError' } });
    expect((await h.stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_payment_method');
  });

  it('redirects to return_url after success when redirect is always', async () => {
    await call(page, 'setup', h.publishableKey, deferred());
    await typeCard(page, '4242 4242 4242 4242');
    await call(page, 'submit');
    const pi = await createIntent();
    await page.evaluate(
      `void app.confirm(${JSON.stringify({ clientSecret: pi.client_secret, confirmParams: { return_url: `${h.shopUrl}/return?order=1` } })})`,
    );
    await page.waitForURL(/\/return\?/);
    const params = new URL(page.url()).searchParams;
    expect(Object.fromEntries(params)).toEqual({
      order: '1',
      payment_intent: pi.id,
      payment_intent_client_secret: pi.client_secret,
      redirect_status: 'succeeded',
    });
  });

  it('pays by SEPA Direct Debit (asynchronous): processing, then settled by the bank', async () => {
    await call(page, 'setup', h.publishableKey, deferred(), { layout: 'accordion' });
    await page.getByRole('radio', { name: 'SEPA Direct Debit' }).check();
    await page.getByLabel('Full name').pressSequentially('Jenny Rosen');
    await page.getByLabel('Email').pressSequentially('jenny@example.com');
    await page.getByLabel('IBAN').pressSequentially('DE89370400440532013000');
    expect(await call(page, 'submit')).toEqual({ selectedPaymentMethod: 'sepa_debit' });
    const pi = await createIntent();
    const result = await confirm(pi);
    expect(result.paymentIntent).toMatchObject({ status: 'processing' });

    await h.control(`/payment_intents/${pi.id}/settle`, { outcome: 'succeeded' });
    const stored = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method'] });
    expect(stored.status).toBe('succeeded');
    expect(stored.payment_method).toMatchObject({
      type: 'sepa_debit',
      billing_details: { name: 'Jenny Rosen', email: 'jenny@example.com' },
    });
  });

  it('pays by iDEAL (redirect): the bank page, then back to return_url with Stripe’s parameters', async () => {
    await call(page, 'setup', h.publishableKey, deferred());
    await page.getByRole('tab', { name: 'iDEAL' }).click();
    expect(await call(page, 'submit')).toEqual({ selectedPaymentMethod: 'ideal' });
    const pi = await createIntent();
    await page.evaluate(
      `void app.confirm(${JSON.stringify({ clientSecret: pi.client_secret, confirmParams: { return_url: `${h.shopUrl}/return` }, redirect: 'if_required' })})`,
    );
    await page.waitForURL(/\/_sandbox\/redirect\//);
    await page.getByRole('button', { name: 'Authorize test payment' }).click();
    await page.waitForURL(/\/return\?/);
    const params = new URL(page.url()).searchParams;
    expect(params.get('payment_intent')).toBe(pi.id);
    expect(params.get('redirect_status')).toBe('succeeded');
    const retrieved = await call(page, 'retrieve', h.publishableKey, params.get('payment_intent_client_secret'));
    expect(retrieved.paymentIntent).toMatchObject({ id: pi.id, status: 'succeeded' });
  });

  it('works with a clientSecret Elements group: methods from the intent, no submit() needed', async () => {
    const pi = await createIntent({ automatic_payment_methods: undefined, allowed_payment_method_types: ['card'] });
    expect(await call(page, 'setup', h.publishableKey, { clientSecret: pi.client_secret })).toBe('ready');
    expect(await page.getByRole('tab').count()).toBe(0);
    await typeCard(page, '5555 5555 5555 4444');
    const result = await call(page, 'confirm', {
      confirmParams: { return_url: `${h.shopUrl}/return` },
      redirect: 'if_required',
    });
    expect(result.paymentIntent).toMatchObject({ id: pi.id, status: 'succeeded' });
  });

  it('emits loaderror for a publishable key the emulator does not know, and refuses secret keys', async () => {
    expect(await call(page, 'setup', 'pk_test_unknown', deferred())).toEqual({
      loaderror: expect.objectContaining({ type: 'invalid_request_error', code: 'api_key_invalid' }),
    });
    const thrown = await page.evaluate(
      `(() => { try { Stripe('sk_test_sandbox'); } catch (e) { return e.name + ': ' + e.message; } })()`,
    );
    expect(thrown).toMatch(/^IntegrationError: You should not use your secret key/);
  });

  it('finishes a server-side confirmation with handleNextAction()', async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 4200,
      currency: 'eur',
      allowed_payment_method_types: ['card'],
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(pi.next_action?.type).toBe('use_stripe_sdk');
    const pending = page.evaluate(
      `Stripe(${JSON.stringify(h.publishableKey)}).handleNextAction({ clientSecret: ${JSON.stringify(pi.client_secret)} })`,
    ) as Promise<any>;
    await page.getByRole('dialog').getByRole('button', { name: 'Complete' }).click();
    expect((await pending).paymentIntent).toMatchObject({ id: pi.id, status: 'succeeded' });
    const again = (await page.evaluate(
      `Stripe(${JSON.stringify(h.publishableKey)}).handleNextAction({ clientSecret: ${JSON.stringify(pi.client_secret)} })`,
    )) as any;
    expect(again.error).toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('needs billing details in confirmParams when the element was told not to collect them', async () => {
    await call(page, 'setup', h.publishableKey, deferred(), {
      fields: { billingDetails: { name: 'never', email: 'never' } },
    });
    await page.getByRole('tab', { name: 'SEPA Direct Debit' }).click();
    expect(await page.getByLabel('Full name').count()).toBe(0);
    await page.getByLabel('IBAN').pressSequentially('DE89370400440532013000');
    await call(page, 'submit');
    const pi = await createIntent();
    expect(await confirm(pi)).toMatchObject({
      thrown: { name: 'IntegrationError', message: expect.stringContaining('fields.billing_details.name') },
    });
    const billing = { name: 'Max Mustermann', email: 'max@example.com' };
    const result = await confirm(pi, {
      confirmParams: { return_url: `${h.shopUrl}/return`, payment_method_data: { billing_details: billing } },
    });
    expect(result.paymentIntent).toMatchObject({ status: 'processing' });
    const stored = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['payment_method'] });
    expect((stored.payment_method as Stripe.PaymentMethod).billing_details).toMatchObject(billing);
  });

  it('follows the Element lifecycle: mount errors, update, focus and blur, destroy', async () => {
    expect(await call(page, 'setup', h.publishableKey, deferred())).toBe('ready');
    const attempt = (code: string) =>
      page.evaluate(`(() => { try { ${code}; return 'ok'; } catch (e) { return e.name + ': ' + e.message; } })()`);
    expect(await attempt(`app.element.mount('#payment')`)).toMatch(
      /^IntegrationError: This Element is already mounted/,
    );
    expect(await attempt(`app.elements.create('payment')`)).toBe(
      'IntegrationError: Can only create one Element of type payment.',
    );
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Card', 'SEPA Direct Debit', 'iDEAL']);
    await attempt(`app.elements.update({ currency: 'usd', amount: 3000 })`);
    expect(await page.getByRole('tab').count()).toBe(0); // SEPA and iDEAL are EUR-only
    await attempt(`app.element.update({ paymentMethodOrder: ['ideal'] })`);
    await attempt(`app.elements.update({ currency: 'eur' })`);
    expect(await page.getByRole('tab').allTextContents()).toEqual(['iDEAL', 'Card', 'SEPA Direct Debit']);

    await page.getByRole('tab', { name: 'Card' }).click();
    await page.getByLabel('Card number').focus();
    await page.getByLabel('Expiration date').focus();
    await page.evaluate(`document.activeElement.blur()`);
    const names = ((await page.evaluate('window.log')) as { name: string }[]).map((e) => e.name);
    expect(names.filter((n) => n === 'focus' || n === 'blur')).toEqual(['focus', 'blur']);
    expect(await page.locator('#payment').getAttribute('class')).toContain('StripeElement');

    expect(await attempt(`app.element.destroy()`)).toBe('ok');
    expect(await page.locator('#payment input').count()).toBe(0);
    expect(await attempt(`app.element.mount('#payment')`)).toMatch(
      /^IntegrationError: This Element has already been destroyed/,
    );
    expect(await attempt(`app.elements.create('payment').mount('#nowhere')`)).toMatch(
      /^IntegrationError: The selector you specified \(#nowhere\)/,
    );
  });

  it('records and blocks any request that would leave the machine (the guard itself works)', async () => {
    await page.evaluate(`fetch('https://js.stripe.com/v3/').catch(() => undefined)`);
    expect(h.external).toEqual(['https://js.stripe.com/v3/']);
    h.external.length = 0;
  });

  it('is what @stripe/stripe-js loadStripe() returns, with no version warning', async () => {
    const { page: loaded, context } = await h.newPage('/load-stripe');
    const warnings: string[] = [];
    loaded.on('console', (message) => warnings.push(message.text()));
    await loaded.waitForFunction('window.moduleReady === true');
    const result = await loaded.evaluate(`(async () => {
      const stripe = await window.loadStripe(${JSON.stringify(h.publishableKey)});
      const elements = stripe.elements({ mode: 'payment', amount: 1000, currency: 'eur' });
      const element = elements.create('payment');
      const ready = new Promise((resolve) => element.on('ready', () => resolve(true)));
      element.mount('#payment');
      return { ready: await ready, same: stripe.elements !== undefined && window.Stripe.version };
    })()`);
    expect(result).toEqual({ ready: true, same: 'endive' });
    expect(warnings.filter((w) => /Stripe\.js|stripe-js/.test(w))).toEqual([]);
    await context.close();
  });
});
