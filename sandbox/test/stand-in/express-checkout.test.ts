import type { Locator, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { call, canRunBrowser, startStandIn, type StandInHarness } from './harness';

const describeBrowser = canRunBrowser ? describe : describe.skip;

type LogEntry = { event: string } & Record<string, any>;

describeBrowser('Express Checkout Element of the Stripe.js stand-in, in Chromium', () => {
  let h: StandInHarness;
  let page: Page;
  let closeContext: () => Promise<void>;
  let consoleErrors: string[];

  beforeAll(async () => (h = await startStandIn()));
  afterAll(() => h?.close());
  beforeEach(async () => {
    const opened = await h.newPage('/express');
    page = opened.page;
    consoleErrors = [];
    page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
    closeContext = () => opened.context.close();
  });
  afterEach(async () => {
    await closeContext();
    expect(h.external).toEqual([]);
  });

  const deferred = { mode: 'payment', amount: 2999, currency: 'eur', captureMethod: 'automatic' };
  const log = async () => (await page.evaluate('window.log')) as LogEntry[];
  const waitForLog = (name: string, count = 1) =>
    page.waitForFunction(([n, c]) => (window as any).log.filter((e: LogEntry) => e.event === n).length >= c, [
      name,
      count,
    ] as const);
  const shop = (values: Record<string, unknown>) =>
    page.evaluate(`Object.assign(window.shop, ${JSON.stringify(values)})`);
  const open = async (wallet = 'Google Pay'): Promise<Locator> => {
    await page.getByRole('button', { name: wallet, exact: true }).click();
    const sheet = page.getByRole('dialog', { name: `${wallet} (sandbox wallet)` });
    await sheet.waitFor();
    return sheet;
  };
  const total = (sheet: Locator) => sheet.getByText(/^Total:/).textContent();

  it('renders one button per wallet and reports them ready; paymentMethods can turn one off', async () => {
    expect(await call(page, 'setup', h.publishableKey, deferred, { paymentMethods: { link: 'never' } })).toEqual({
      elementType: 'expressCheckout',
      availablePaymentMethods: {
        applePay: true,
        googlePay: true,
        link: false,
        paypal: false,
        amazonPay: false,
        klarna: false,
      },
    });
    expect(await page.getByRole('button').allTextContents()).toEqual(['Apple Pay', 'Google Pay']);
    expect(await page.evaluate("window.app.elements.getElement('expressCheckout') === window.app.element")).toBe(true);
  });

  it('pays through the wallet sheet: address, rate, updated total, confirm payload, and a PaymentIntent for that total', async () => {
    await call(page, 'setup', h.publishableKey, deferred);
    const sheet = await open('Google Pay');
    expect((await log())[0]).toEqual({
      event: 'click',
      elementType: 'expressCheckout',
      expressPaymentType: 'google_pay',
    });
    await waitForLog('shippingaddresschange');
    expect(await sheet.getByText('Pay Sandbox Shop').count()).toBe(1);

    await sheet.getByLabel('Shipping address').selectOption({ label: 'Amsterdam, Netherlands' });
    await waitForLog('shippingaddresschange', 2);
    expect((await log()).filter((e) => e.event === 'shippingaddresschange')[1]).toEqual({
      event: 'shippingaddresschange',
      elementType: 'expressCheckout',
      name: 'Jan Jansen',
      address: { city: 'Amsterdam', state: '', postal_code: '1012 JS', country: 'NL' },
    });
    await sheet.getByRole('radio', { name: 'Standard shipping €4.99' }).waitFor();
    expect(await total(sheet)).toBe('Total: €29.99');

    await sheet.getByRole('radio', { name: 'Express shipping €9.99' }).check();
    await waitForLog('shippingratechange');
    expect((await log()).find((e) => e.event === 'shippingratechange')).toEqual({
      event: 'shippingratechange',
      elementType: 'expressCheckout',
      shippingRate: { id: 'express', displayName: 'Express shipping', amount: 999 },
    });
    await page.waitForFunction(() => document.body.textContent?.includes('Total: €34.99'));
    expect(await sheet.getByRole('listitem').allTextContents()).toEqual([
      'Sandbox T-shirt: €25.00',
      'Express shipping: €9.99',
    ]);

    await sheet.getByRole('button', { name: 'Pay', exact: true }).click();
    await waitForLog('result');
    const entries = await log();
    expect(entries.find((e) => e.event === 'confirm')).toEqual({
      event: 'confirm',
      elementType: 'expressCheckout',
      expressPaymentType: 'google_pay',
      paymentFailed: 'function',
      billingDetails: {
        name: 'Jan Jansen',
        email: 'wallet.shopper@example.com',
        phone: '+4930123456',
        address: {
          line1: 'Damrak 1',
          line2: null,
          city: 'Amsterdam',
          state: '',
          postal_code: '1012 JS',
          country: 'NL',
        },
      },
      shippingAddress: {
        name: 'Jan Jansen',
        address: {
          line1: 'Damrak 1',
          line2: null,
          city: 'Amsterdam',
          state: '',
          postal_code: '1012 JS',
          country: 'NL',
        },
      },
      shippingRate: { id: 'express', displayName: 'Express shipping', amount: 999 },
    });
    const result = entries.find((e) => e.event === 'result')!;
    expect(result.error).toBeUndefined();
    expect(result.paymentIntent).toMatchObject({ status: 'succeeded', amount: 3499, currency: 'eur' });
    await sheet.getByRole('status').getByText('Payment successful').waitFor();
    await sheet.waitFor({ state: 'detached' });

    const stored = await h.stripe.paymentIntents.retrieve(result.paymentIntent.id, {
      expand: ['payment_method', 'latest_charge'],
    });
    expect(stored).toMatchObject({ status: 'succeeded', amount: 3499 });
    expect((stored.latest_charge as Stripe.Charge).amount_captured).toBe(3499);
    expect((stored.payment_method as Stripe.PaymentMethod).card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect((stored.payment_method as Stripe.PaymentMethod).billing_details).toMatchObject({
      name: 'Jan Jansen',
      email: 'wallet.shopper@example.com',
      address: { city: 'Amsterdam', country: 'NL', postal_code: '1012 JS', line1: 'Damrak 1' },
    });
    expect(stored.shipping).toMatchObject({
      name: 'Jan Jansen',
      address: { city: 'Amsterdam', country: 'NL', line1: 'Damrak 1', postal_code: '1012 JS' },
    });
  });

  it('refuses a PaymentIntent whose amount differs from the Elements amount the sheet showed, without confirming it', async () => {
    await call(page, 'setup', h.publishableKey, deferred);
    await shop({ intentAmount: 2500 });
    const sheet = await open('Apple Pay');
    await waitForLog('shippingaddresschange');
    await sheet.getByRole('button', { name: 'Pay', exact: true }).click();
    await waitForLog('result');
    const result = (await log()).find((e) => e.event === 'result')!;
    expect(result.paymentIntent).toBeUndefined();
    expect(result.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payment_intent_invalid_parameter',
      message: expect.stringContaining('do not match'),
      payment_intent: { amount: 2500, status: 'requires_payment_method' },
    });
    expect(await sheet.getByRole('alert').textContent()).toContain('Payment failed');
    const pi = await h.stripe.paymentIntents.retrieve(result.error.payment_intent.id);
    expect(pi).toMatchObject({ status: 'requires_payment_method', latest_charge: null });
  });

  it('answers a declined wallet card with the card_error, and the sheet shows the failure', async () => {
    await call(page, 'setup', h.publishableKey, deferred);
    const sheet = await open('Link');
    await waitForLog('shippingaddresschange');
    await sheet.getByLabel('Card in wallet').selectOption('pm_card_visa_chargeDeclinedInsufficientFunds');
    await sheet.getByRole('button', { name: 'Pay', exact: true }).click();
    await waitForLog('result');
    const entries = await log();
    expect(entries.find((e) => e.event === 'confirm')).toMatchObject({ expressPaymentType: 'link' });
    const result = entries.find((e) => e.event === 'result')!;
    expect(result.error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      payment_intent: { status: 'requires_payment_method' },
    });
    await sheet
      .getByRole('alert')
      .getByText(/^Payment failed: /)
      .waitFor();
    expect(await sheet.getByRole('button', { name: 'Pay', exact: true }).isEnabled()).toBe(true);
  });

  it('closes the sheet on Cancel and fires cancel', async () => {
    await call(page, 'setup', h.publishableKey, deferred);
    const sheet = await open('Apple Pay');
    await sheet.getByRole('button', { name: 'Cancel' }).click();
    await sheet.waitFor({ state: 'detached' });
    expect((await log()).at(-1)).toEqual({ event: 'cancel', elementType: 'expressCheckout' });
    expect((await log()).some((e) => e.event === 'confirm')).toBe(false);
  });

  it('shows an error for an address the page rejects, and Pay stays disabled until another is chosen', async () => {
    await call(page, 'setup', h.publishableKey, deferred);
    await shop({ rejectCountries: ['US'] });
    const sheet = await open('Google Pay');
    await waitForLog('shippingaddresschange');
    await sheet.getByLabel('Shipping address').selectOption({ label: 'New York, United States' });
    await sheet.getByRole('alert').getByText('This address cannot be shipped to. Choose another address.').waitFor();
    expect(await sheet.getByRole('button', { name: 'Pay', exact: true }).isDisabled()).toBe(true);
    expect((await log()).filter((e) => e.event === 'shippingaddresschange').at(-1)?.address).toEqual({
      city: 'New York',
      state: 'NY',
      postal_code: '10118',
      country: 'US',
    });
    await sheet.getByLabel('Shipping address').selectOption({ label: 'Berlin, Germany' });
    await waitForLog('shippingaddresschange', 3);
    await page.waitForFunction(() => !document.querySelector('[role=dialog] button[disabled]'));
    expect(await sheet.getByRole('alert').textContent()).toBe('');
  });

  it('opens no sheet and logs an error when the click handler does not resolve within 1 second', async () => {
    await call(page, 'setup', h.publishableKey, deferred);
    await shop({ resolveClick: false });
    await page.getByRole('button', { name: 'Apple Pay', exact: true }).click();
    await page.waitForTimeout(1300);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(consoleErrors).toEqual([
      '[Stripe.js] Timed out waiting for a call to resolve(). If you listen to the "click" event, then you must call event.resolve in the "click" handler within 1 second.',
    ]);
  });
});
