/// <reference lib="dom" />
/**
 * The commercetools enabler contract, one test per promise, in Chromium: the built UMD bundle on a
 * plain page (as a storefront loads it), the Stripe.js stand-in, and the real processor against
 * the sandbox (`npm start`). The tests use only what the README documents.
 */
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from 'sandbox/test/e2e/axe';
import { startStack, type Stack } from 'sandbox/test/e2e/stack';
import { canRunBrowser, launchChromium, typeCard } from 'sandbox/test/stand-in/harness';

const maybe = canRunBrowser ? describe : describe.skip;
let stack: Stack | undefined;
let browser: Browser | undefined;
let demoUrl = '';
let processorUrl = '';
let stripeUrl = '';

beforeAll(async () => {
  if (!canRunBrowser) return;
  stack = await startStack({ SANDBOX_ASYNC_SETTLE_MS: '600000' });
  demoUrl = /demo checkout page\s+(\S+)/.exec(stack.output)![1]!.replace(/\/$/, '');
  // The processor as the demo page knows it (its origin is one the processor allows).
  processorUrl = /"processorUrl":"([^"]+)"/.exec(await (await fetch(demoUrl)).text())![1]!;
  stripeUrl = /Stripe API emulator\s+(\S+)/.exec(stack.output)![1]!.replace(/\/$/, '');
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A storefront page: the stand-in (unless `withoutStripe`), the UMD bundle, and a log of every callback. */
function storefront(options: { withoutStripe?: boolean }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>storefront</title>
${options.withoutStripe ? '<script>delete window.Stripe;</script>' : `<script src="${stripeUrl}/v3/"></script>`}
<script src="/enabler/connector-enabler.umd.js"></script></head>
<body><main><h1>Checkout</h1><div id="payment"></div></main><script>
window.log = [];
window.enabler = function (sessionId, extra) {
  return new Connector.Enabler(Object.assign({
    processorUrl: ${JSON.stringify(processorUrl)},
    sessionId: sessionId,
    onComplete: function (r) { log.push({ on: 'complete', result: r }); },
    onError: function (e, c) { log.push({ on: 'error', name: e.name, code: e.code, declineCode: e.declineCode, message: e.message, context: c }); },
    onActionRequired: function () { log.push({ on: 'action' }); sessionStorage.setItem('action', 'yes'); return Promise.resolve(); }
  }, extra || {}));
};
</script></body></html>`;
}

async function session(body: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${demoUrl}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { sessionId: string }).sessionId;
}

async function open(options: { withoutStripe?: boolean } = {}): Promise<Page> {
  const context = await browser!.newContext();
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') return route.continue();
    return route.abort();
  });
  const page = await context.newPage();
  // The storefront is written into a page of the demo's origin (a loopback server, allowed by the
  // processor's CORS): a page fulfilled by the test would count as public and be refused loopback.
  await page.goto(`${demoUrl}/`);
  await page.setContent(storefront(options));
  return page;
}

/** Runs `body` in the page with `enabler` built for a fresh session; resolves to its value. */
async function run<T>(page: Page, body: string, extra = '{}', sessionBody: Record<string, unknown> = {}): Promise<T> {
  const id = await session(sessionBody);
  return page.evaluate(
    `(async () => { const enabler = window.enabler(${JSON.stringify(id)}, ${extra}); ${body} })()`,
  ) as Promise<T>;
}

const log = (page: Page) => page.evaluate('window.log') as Promise<Record<string, unknown>[]>;
const until = (page: Page, on: string) =>
  page.waitForFunction(`window.log.some((e) => e.on === ${JSON.stringify(on)})`, undefined, { timeout: 20_000 });

maybe('the enabler contract in a browser', () => {
  it('mount() resolves once the Element is rendered, and the drop-in calls onDropinReady before that', async () => {
    const page = await open();
    const seen = await run<{ inputs: number; readyFirst: boolean }>(
      page,
      `let ready = false;
       const dropin = (await enabler.createDropinBuilder('embedded')).build({ onDropinReady: async () => { ready = true; } });
       await dropin.mount('#payment');
       return { inputs: document.querySelectorAll('#payment input').length, readyFirst: ready };`,
    );
    expect(seen.inputs).toBeGreaterThan(0);
    expect(seen.readyFirst).toBe(true);
    await page.context().close();
  });

  it('showPayButton renders the pay button with the total; a click pays; it stays disabled after success', async () => {
    const page = await open();
    await run(
      page,
      `window.c = (await enabler.createComponentBuilder('card')).build({ showPayButton: true }); await c.mount('#payment');`,
    );
    const button = page.getByRole('button', { name: /Pay €29\.99/ });
    await expect(button.isEnabled()).resolves.toBe(true);
    await typeCard(page, '4242 4242 4242 4242');
    await button.click();
    await until(page, 'complete');
    expect((await log(page))[0]).toMatchObject({ on: 'complete', result: { isSuccess: true } });
    expect(await button.isDisabled()).toBe(true);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Payment approved.');
    await page.context().close();
  });

  it('onPayButtonClick is awaited before paying, and a rejection stops the payment', async () => {
    const page = await open();
    await run(
      page,
      `window.allow = false;
       window.c = (await enabler.createComponentBuilder('card')).build({ showPayButton: true, onPayButtonClick: async () => {
         log.push({ on: 'click' }); await new Promise((r) => setTimeout(r, 300)); log.push({ on: 'clicked' });
         if (!window.allow) throw new Error('storefront form incomplete');
       } });
       await c.mount('#payment');`,
    );
    const payments: string[] = [];
    page.on('request', (r) => r.url().endsWith('/payments') && payments.push(r.url()));
    await typeCard(page, '4242 4242 4242 4242');
    await page.getByRole('button', { name: /Pay/ }).click();
    await until(page, 'clicked');
    await page.waitForTimeout(300);
    expect(payments).toEqual([]);
    await page.evaluate('window.allow = true');
    await page.getByRole('button', { name: /Pay/ }).click();
    await until(page, 'complete');
    expect((await log(page)).map((e) => e.on)).toEqual(['click', 'clicked', 'click', 'clicked', 'complete']);
    expect(payments).toHaveLength(1);
    await page.context().close();
  });

  it('a decline calls onComplete({isSuccess: false}) as well as onError, with the codes and the payment reference', async () => {
    const page = await open();
    await run(page, `window.c = (await enabler.createComponentBuilder('card')).build(); await c.mount('#payment');`);
    await typeCard(page, '4000 0000 0000 0002');
    await page.evaluate('window.c.submit()');
    await until(page, 'complete');
    const [error, complete] = await log(page);
    expect(error).toMatchObject({
      on: 'error',
      name: 'PaymentDeclinedError',
      code: 'card_declined',
      declineCode: 'generic_decline',
    });
    const reference = (error!.context as { paymentReference: string }).paymentReference;
    expect(reference).toBeTruthy();
    expect(complete).toEqual({
      on: 'complete',
      result: { isSuccess: false, paymentReference: reference, code: 'card_declined', declineCode: 'generic_decline' },
    });
    await page.context().close();
  });

  it('getState() has the template shape: {card: {}} while a card is entered, brand, end digits and expiry once paid', async () => {
    const page = await open();
    await run(page, `window.c = (await enabler.createComponentBuilder('card')).build(); await c.mount('#payment');`);
    expect(await page.evaluate('window.c.getState()')).toEqual({ card: {} });
    await typeCard(page, '4242 4242 4242 4242', '12 / 34');
    await page.evaluate('window.c.submit()');
    await until(page, 'complete');
    expect(await page.evaluate('window.c.getState()')).toEqual({
      card: { endDigits: '4242', brand: 'visa', expiryDate: '12/34' },
    });
    await page.context().close();
  });

  it('isAvailable(): card always; iDEAL for a euro cart, not for a dollar cart', async () => {
    const page = await open();
    const check = `return Promise.all(['card', 'ideal'].map(async (t) => (await enabler.createComponentBuilder(t)).build().isAvailable()));`;
    expect(await run(page, check)).toEqual([true, true]);
    expect(await run(page, check, '{}', { currency: 'USD' })).toEqual([true, false]);
    await page.context().close();
  });

  it('onActionRequired is called when a 3-D Secure challenge starts, before the payment completes', async () => {
    const page = await open();
    await run(page, `window.c = (await enabler.createComponentBuilder('card')).build(); await c.mount('#payment');`);
    await typeCard(page, '4000 0025 0000 3155');
    await page.evaluate('void window.c.submit()');
    await until(page, 'action');
    const dialog = page.getByRole('dialog', { name: '3D Secure 2 Test Page' });
    await dialog.getByRole('button', { name: 'Complete' }).click();
    await until(page, 'complete');
    expect((await log(page)).map((e) => e.on)).toEqual(['action', 'complete']);
    await page.context().close();
  });

  it('onActionRequired is called before a redirect to the bank', async () => {
    const page = await open();
    await run(page, `window.c = (await enabler.createComponentBuilder('ideal')).build(); await c.mount('#payment');`);
    await page.evaluate('void window.c.submit()');
    await page.waitForURL(/\/_sandbox\/redirect\//, { timeout: 20_000 });
    expect(await page.evaluate("sessionStorage.getItem('action')")).toBeNull(); // another origin: the bank
    await page.goBack();
    expect(await page.evaluate("sessionStorage.getItem('action')")).toBe('yes');
    await page.context().close();
  });

  it('isValid() and showValidation() are asynchronous; showValidation() says what is wrong in the live region', async () => {
    const page = await open();
    await run(page, `window.c = (await enabler.createComponentBuilder('card')).build(); await c.mount('#payment');`);
    expect(await page.evaluate('window.c.isValid() instanceof Promise')).toBe(true);
    expect(await page.evaluate('window.c.isValid()')).toBe(false);
    await page.evaluate('window.c.showValidation()');
    const status = page.getByRole('status');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await status.textContent()).toBe('Please check your payment details.');
    await typeCard(page, '4242 4242 4242 4242');
    expect(await page.evaluate('window.c.isValid()')).toBe(true);
    await page.context().close();
  });

  it("locale chooses the enabler's language: its pay button and its messages", async () => {
    const page = await open();
    await run(
      page,
      `window.c = (await enabler.createComponentBuilder('card')).build({ showPayButton: true }); await c.mount('#payment');`,
      "{ locale: 'de-DE' }",
    );
    await expect(page.getByRole('button', { name: '29,99 € bezahlen' }).count()).resolves.toBe(1);
    await expect(page.getByRole('group', { name: 'Zahlung' }).count()).resolves.toBe(1);
    await typeCard(page, '4000 0000 0000 9995');
    await page.getByRole('button', { name: /bezahlen/ }).click();
    await until(page, 'complete');
    expect(await page.getByRole('status').textContent()).toBe(
      'Ihre Karte ist nicht ausreichend gedeckt. Bitte verwenden Sie eine andere Karte.',
    );
    await page.context().close();
  });

  it('the mounted drop-in, its pay button and its status line have no axe-core violation, before paying and after a decline', async () => {
    const page = await open();
    await run(
      page,
      `window.c = (await enabler.createDropinBuilder('embedded')).build({ showPayButton: true }); await c.mount('#payment');`,
    );
    expect({ state: 'mounted', violations: await axeViolations(page, '#payment') }).toEqual({
      state: 'mounted',
      violations: [],
    });
    await typeCard(page, '4000 0000 0000 0002');
    await page.getByRole('button', { name: /Pay/ }).click();
    await until(page, 'complete');
    expect(await page.getByRole('status').textContent()).not.toBe('');
    expect({ state: 'declined', violations: await axeViolations(page, '#payment') }).toEqual({
      state: 'declined',
      violations: [],
    });
    await page.context().close();
  });

  it('every error the enabler raises has a code: a bad selector, Stripe.js that cannot load', async () => {
    const page = await open();
    const bad = await run(
      page,
      `return (await enabler.createComponentBuilder('card')).build().mount('#nowhere').catch((e) => ({ name: e.name, code: e.code }));`,
    );
    expect(bad).toEqual({ name: 'EnablerError', code: 'invalid_selector' });
    await page.context().close();

    const offline = await open({ withoutStripe: true });
    const failed = await run(
      offline,
      `return (await enabler.createComponentBuilder('card')).build().mount('#payment').catch((e) => ({ name: e.name, code: e.code }));`,
    );
    expect(failed).toEqual({ name: 'EnablerError', code: 'stripe_unavailable' });
    await offline.context().close();
  });
});
