import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import Stripe from 'stripe';
import { createStripeEmulator, type StripeEmulator } from '../../src/stripe/server';

/** Debian's Chromium, or any Chrome/Chromium named by CHROMIUM_PATH (e.g. on GitHub runners). */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Browser tests need Chromium from apt. Outside CI they are skipped (loudly) when it is missing;
 * in CI they must run, so a missing browser fails there.
 */
export const canRunBrowser = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!canRunBrowser) {
  process.stderr.write(
    `\n[stand-in] SKIPPING browser tests: ${CHROMIUM} not found (apt-get install -y chromium). CI would fail instead.\n\n`,
  );
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The shop side of a test: a page that loads the stand-in from the emulator and drives it. */
function checkoutPage(emulatorUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>checkout</title>
<script src="${emulatorUrl}/v3/"></script></head><body><div id="payment"></div><script>
window.log = [];
window.app = {
  setup(pk, elementsOptions, elementOptions) {
    this.stripe = Stripe(pk);
    this.elements = this.stripe.elements(elementsOptions);
    this.element = this.elements.create('payment', elementOptions || {});
    for (const name of ['change', 'ready', 'focus', 'blur', 'loaderror']) this.element.on(name, (e) => log.push({ name, ...e }));
    this.element.mount('#payment');
    return new Promise((resolve) => {
      this.element.on('ready', () => resolve('ready'));
      this.element.on('loaderror', (e) => resolve({ loaderror: e.error }));
    });
  },
  submit() { return this.elements.submit(); },
  confirm(args) {
    return this.stripe.confirmPayment({ elements: this.elements, ...args })
      .catch((e) => ({ thrown: { name: e.name, message: e.message } }));
  },
  retrieve(pk, secret) { return Stripe(pk).retrievePaymentIntent(secret); },
};
</script></body></html>`;
}

/**
 * A shop with an Express Checkout Element, as Stripe's guide builds it: the click handler asks for
 * shipping, the address and rate handlers answer rates and line items and keep the Elements amount
 * current, and the confirm handler submits, creates the PaymentIntent on the shop's server and
 * confirms it. `window.shop` steers it (rejected countries, another PaymentIntent amount, no resolve).
 */
function expressPage(emulatorUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>express</title>
<script src="${emulatorUrl}/v3/"></script></head><body><div id="express"></div><script>
window.log = [];
window.shop = { rejectCountries: [], intentAmount: null, resolveClick: true, product: 2500 };
const RATES = [
  { id: 'standard', displayName: 'Standard shipping', amount: 499 },
  { id: 'express', displayName: 'Express shipping', amount: 999 },
];
const items = (rate) => [{ name: 'Sandbox T-shirt', amount: shop.product }, { name: rate.displayName, amount: rate.amount }];
const plain = (e) => JSON.parse(JSON.stringify(e));
window.app = {
  total(amount) { shop.amount = amount; this.elements.update({ amount }); },
  setup(pk, elementsOptions, elementOptions) {
    this.stripe = Stripe(pk);
    this.elements = this.stripe.elements(elementsOptions);
    const el = this.element = this.elements.create('expressCheckout', elementOptions || {});
    el.on('click', (e) => {
      log.push({ event: 'click', ...plain(e) });
      if (shop.resolveClick) e.resolve({ shippingAddressRequired: true, emailRequired: true, phoneNumberRequired: true,
        allowedShippingCountries: ['DE', 'NL', 'US'], shippingRates: RATES, lineItems: items(RATES[0]), business: { name: 'Sandbox Shop' } });
    });
    el.on('shippingaddresschange', (e) => {
      log.push({ event: 'shippingaddresschange', ...plain(e) });
      if (shop.rejectCountries.includes(e.address.country)) return e.reject();
      this.total(shop.product + RATES[0].amount);
      e.resolve({ shippingRates: RATES, lineItems: items(RATES[0]) });
    });
    el.on('shippingratechange', (e) => {
      log.push({ event: 'shippingratechange', ...plain(e) });
      this.total(shop.product + e.shippingRate.amount);
      e.resolve({ lineItems: items(e.shippingRate) });
    });
    el.on('cancel', (e) => log.push({ event: 'cancel', ...plain(e) }));
    el.on('confirm', async (e) => {
      log.push({ event: 'confirm', ...plain(e), paymentFailed: typeof e.paymentFailed });
      const submitted = await this.elements.submit();
      if (submitted.error) return e.paymentFailed({ message: submitted.error.message });
      const res = await fetch('/create-intent', { method: 'POST', body: JSON.stringify({ amount: shop.intentAmount ?? shop.amount, currency: 'eur' }) });
      const { clientSecret } = await res.json();
      const result = await this.stripe.confirmPayment({ elements: this.elements, clientSecret,
        confirmParams: { return_url: location.origin + '/return' }, redirect: 'if_required' });
      log.push({ event: 'result', ...plain(result) });
    });
    shop.amount = elementsOptions.amount;
    el.mount('#express');
    return new Promise((resolve) => {
      el.on('ready', (e) => resolve(plain(e)));
      el.on('loaderror', (e) => resolve({ loaderror: e.error }));
    });
  },
};
</script></body></html>`;
}

/** The same shop, loading Stripe.js through @stripe/stripe-js's loadStripe. */
function loadStripePage(emulatorUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>loadStripe</title>
<script src="${emulatorUrl}/v3/"></script></head><body><div id="payment"></div>
<script type="module">
import { loadStripe } from '/stripe-js.mjs';
window.loadStripe = loadStripe;
window.moduleReady = true;
</script></body></html>`;
}

export interface StandInHarness {
  emulator: StripeEmulator;
  emulatorUrl: string;
  shopUrl: string;
  /** The merchant's server-side client, pointed at the emulator. */
  stripe: Stripe;
  publishableKey: string;
  browser: Browser | undefined;
  /** Every request the pages made to a host other than loopback (aborted). */
  external: string[];
  newPage(path?: string): Promise<{ page: Page; context: BrowserContext }>;
  control(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Headless Chromium, with no background networking (this machine's network is closed). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function startStandIn(): Promise<StandInHarness> {
  const emulator = await createStripeEmulator({ validateShapes: true });
  const emulatorUrl = await emulator.app.listen({ port: 0, host: '127.0.0.1' });
  const stripeJs = readFileSync(require.resolve('@stripe/stripe-js/dist/index.mjs'), 'utf8');
  const { port } = new URL(emulatorUrl);
  const stripe = new Stripe(emulator.secretKey, {
    host: '127.0.0.1',
    port: Number(port),
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries: 0,
  });
  const shop = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/create-intent' && req.method === 'POST') {
      // The shop's server: a PaymentIntent for the amount the page asks for.
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { amount, currency } = JSON.parse(body) as { amount: number; currency: string };
        stripe.paymentIntents
          .create({ amount, currency, automatic_payment_methods: { enabled: true } })
          .then((pi) =>
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ clientSecret: pi.client_secret, id: pi.id })),
          )
          .catch((err: Error) => res.writeHead(500).end(err.message));
      });
      return;
    }
    if (path === '/express') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(expressPage(emulatorUrl));
      return;
    }
    if (path === '/stripe-js.mjs') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(stripeJs);
      return;
    }
    const html = path === '/load-stripe' ? loadStripePage(emulatorUrl) : checkoutPage(emulatorUrl);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const browser = canRunBrowser ? await launchChromium() : undefined;
  const external: string[] = [];

  return {
    emulator,
    emulatorUrl,
    shopUrl,
    stripe,
    publishableKey: emulator.publishableKey,
    browser,
    external,
    async newPage(path = '/checkout') {
      if (!browser) throw new Error('no browser');
      const context = await browser.newContext();
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (LOOPBACK.has(url.hostname)) return route.continue();
        external.push(url.toString());
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
      await page.goto(`${shopUrl}${path}`);
      return { page, context };
    },
    async control(path, body = {}) {
      const res = await fetch(`${emulatorUrl}/_sandbox${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return res.json();
    },
    async close() {
      await browser?.close();
      await new Promise<void>((resolve) => shop.close(() => resolve()));
      const divergences = emulator.shapes?.divergences ?? [];
      await emulator.close();
      if (divergences.length > 0)
        throw new Error(`The emulator diverged from Stripe's types:\n${JSON.stringify(divergences, null, 2)}`);
    },
  };
}

/** Calls `window.app[name](...args)` in the page; a string expression, so no function is serialized. */
export function call<T = any>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.app.${name}(...${JSON.stringify(args)})`) as Promise<T>;
}

/** Types like a person: key by key, so the stand-in's formatting and change events run. */
export async function typeCard(page: Page, number: string, expiry = '12 / 34', cvc = '123'): Promise<void> {
  await page.getByLabel('Card number').pressSequentially(number.replace(/\s/g, ''));
  await page.getByLabel('Expiration date').pressSequentially(expiry.replace(/\D/g, ''));
  await page.getByLabel('Security code').pressSequentially(cvc);
}
