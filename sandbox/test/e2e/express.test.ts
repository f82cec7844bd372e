/// <reference lib="dom" />
/**
 * Express checkout on the demo's product page, in Chromium: the enabler's Express Checkout
 * Element (the Stripe.js stand-in's wallet sheet), the demo's storefront backend setting the
 * address and shipping method on the commercetools cart, and the processor paying the cart.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/testing/spawn';
import { canRunBrowser, launchChromium } from '../stand-in/harness';
import { axeViolations } from './axe';
import { stackApis, stackUrls, startStack, type Stack } from './stack';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const maybe = canRunBrowser ? describe : describe.skip;

let stack: Stack | undefined;
let browser: Browser | undefined;
let demoUrl = '';
let apis: ReturnType<typeof stackApis> | undefined;

beforeAll(async () => {
  if (!canRunBrowser) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({});
  const urls = stackUrls(stack);
  demoUrl = urls.demo;
  apis = stackApis(urls);
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const ct = <T>(p: string, body?: unknown) => apis!.ct<T>(p, body);
const stripe = <T>(p: string) => apis!.stripe<T>(p);

async function productPage(query = ''): Promise<{ page: Page; problems: string[] }> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${demoUrl}/product${query}`);
  await page.getByRole('button', { name: 'Google Pay', exact: true }).waitFor();
  return { page, problems };
}

const sheet = (page: Page) => page.getByRole('dialog', { name: 'Google Pay (sandbox wallet)' });

async function openSheet(page: Page) {
  await page.getByRole('button', { name: 'Google Pay', exact: true }).click();
  await sheet(page).waitFor();
  // The first address is chosen on opening: the cart's lines are in the sheet once it answered.
  await sheet(page).getByRole('list', { name: 'Line items' }).waitFor();
}

const totalIn = async (page: Page) =>
  (await sheet(page)
    .getByText(/^Total: /)
    .textContent())!.trim();

maybe('express checkout in a real browser', () => {
  it('choosing another shipping method changes the total; the order has the address, method and total the sheet showed and Stripe charged', async () => {
    const { page, problems } = await productPage();
    await openSheet(page);
    await sheet(page).getByLabel('Shipping address').selectOption({ label: 'Amsterdam, Netherlands' });
    await expect(totalIn(page)).resolves.toBe('Total: €29.99');
    await sheet(page)
      .getByRole('radio', { name: /Express shipping/ })
      .check();
    await page.waitForFunction(() => document.body.innerText.includes('Total: €34.99'));
    expect(await sheet(page).getByRole('list', { name: 'Line items' }).innerText()).toContain('Express shipping');
    await page.screenshot({ path: path.join(ARTIFACTS, 'express-sheet.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await sheet(page).getByRole('button', { name: 'Pay', exact: true }).click();
    await page.locator('#result.ok').waitFor();
    await page.locator('#order[data-payment-state="Paid"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'express-paid.png'), fullPage: true });

    const paymentId = await page.locator('#order').getAttribute('data-payment-reference');
    const payment = await ct<{ interfaceId: string }>(`/payments/${paymentId}`);
    const pi = await stripe<{
      amount: number;
      currency: string;
      status: string;
      shipping: { address: { city: string } };
    }>(`/payment_intents/${payment.interfaceId}`);
    expect(pi).toMatchObject({ amount: 3499, currency: 'eur', status: 'succeeded' });
    const orders = await ct<{
      results: {
        totalPrice: { centAmount: number };
        shippingAddress: { country: string; city: string; streetName?: string; firstName?: string };
        shippingInfo: { shippingMethodName: string; price: { centAmount: number } };
        customerEmail?: string;
      }[];
    }>(`/orders?where=${encodeURIComponent(`paymentInfo(payments(id="${paymentId}"))`)}`);
    expect(orders.results).toHaveLength(1);
    const [order] = orders.results;
    expect(order!.totalPrice.centAmount).toBe(3499);
    expect(order!.shippingInfo).toMatchObject({ shippingMethodName: 'Express shipping', price: { centAmount: 999 } });
    expect(order!.shippingAddress).toMatchObject({ country: 'NL', city: 'Amsterdam', streetName: 'Damrak 1' });
    expect(order!.customerEmail).toBe('wallet.shopper@example.com');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('closing the wallet charges nothing and says so', async () => {
    const { page } = await productPage();
    await openSheet(page);
    await sheet(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('#result').textContent()).resolves.toBe('Wallet closed: nothing was charged.');
    await page.context().close();
  });

  it('a declined wallet card is reported with its code, and no order is made', async () => {
    const { page } = await productPage();
    await openSheet(page);
    await sheet(page).getByLabel('Card in wallet').selectOption('pm_card_visa_chargeDeclinedInsufficientFunds');
    await sheet(page).getByRole('button', { name: 'Pay', exact: true }).click();
    await page.locator('#result.ko').waitFor();
    expect(await page.locator('#result').textContent()).toMatch(/insufficient_funds/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'express-declined.png'), fullPage: true });
    const cartId = await page.locator('body').getAttribute('data-cart-id');
    const orders = await ct<{ results: unknown[] }>(`/orders?where=${encodeURIComponent(`cart(id="${cartId}")`)}`);
    expect(orders.results).toEqual([]);
    await page.context().close();
  });

  it('a cart that changed after the sheet showed its total is not charged: the sheet gets the new total', async () => {
    const { page } = await productPage();
    await openSheet(page);
    await expect(totalIn(page)).resolves.toBe('Total: €29.99');
    // Another tab adds a second T-shirt while the wallet sheet is open.
    const cartId = await page.locator('body').getAttribute('data-cart-id');
    const cart = await ct<{ version: number; lineItems: { id: string; taxRate: unknown }[] }>(`/carts/${cartId}`);
    await ct(`/carts/${cartId}`, {
      version: cart.version,
      actions: [{ action: 'changeLineItemQuantity', lineItemId: cart.lineItems[0]!.id, quantity: 2 }],
    });
    await sheet(page).getByRole('button', { name: 'Pay', exact: true }).click();
    await page
      .locator('#result.ko')
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        throw new Error(await page.locator('body').innerText());
      });
    expect(await page.locator('#result').textContent()).toMatch(/cart_changed/);
    await page.waitForFunction(() => document.body.innerText.includes('Total: €54.99'));
    const after = await ct<{ paymentInfo: { payments: { id: string }[] } }>(`/carts/${cartId}`);
    const payment = await ct<{ interfaceId: string }>(`/payments/${after.paymentInfo.payments.at(-1)!.id}`);
    const pi = await stripe<{ status: string; amount: number }>(`/payment_intents/${payment.interfaceId}`);
    expect(pi.status).not.toBe('succeeded');
    expect(pi.amount).toBe(5499);
    await page.context().close();
  });

  it('a country the shop does not ship to is not offered; an address it has no shipping method for is refused in the sheet', async () => {
    const { page } = await productPage();
    await page.getByRole('button', { name: 'Google Pay', exact: true }).click();
    await sheet(page).waitFor();
    const offered = await sheet(page).getByLabel('Shipping address').locator('option').allTextContents();
    expect(offered).not.toContain('New York, United States');
    await page.context().close();

    // The storefront allows the US, but has no shipping method for a euro cart there.
    const other = await productPage('?countries=DE,NL,US');
    await openSheet(other.page);
    await sheet(other.page).getByLabel('Shipping address').selectOption({ label: 'New York, United States' });
    await sheet(other.page)
      .getByRole('alert')
      .filter({ hasText: /cannot be shipped/ })
      .waitFor();
    expect(await sheet(other.page).getByRole('button', { name: 'Pay', exact: true }).isDisabled()).toBe(true);
    await other.page.context().close();
  });
});
