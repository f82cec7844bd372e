/// <reference lib="dom" />
/**
 * Saved cards on the demo page, in Chromium: the demo shopper saves a card while paying, pays the
 * next cart with it without typing it, and deletes it — through the enabler's stored payment
 * method builder, the processor and commercetools' payment methods.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/testing/spawn';
import { canRunBrowser, launchChromium, typeCard } from '../stand-in/harness';
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
  stack = await startStack({ STRIPE_SAVED_PAYMENT_METHODS: 'on' });
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

async function newCart(page: Page) {
  await page.click('#start');
  await page.waitForSelector('#pay:not([disabled])');
}

async function paidPaymentIntent(page: Page) {
  await page.locator('#result.ok').waitFor({ timeout: 15_000 });
  await page.locator('#payment-id:not(:empty)').waitFor();
  const paymentId = (await page.locator('#payment-id').textContent())!.trim();
  const payment = await ct<{ interfaceId: string }>(`/payments/${paymentId}`);
  return stripe<{ status: string; amount: number; customer: string | null; payment_method: string }>(
    `/payment_intents/${payment.interfaceId}`,
  );
}

maybe('saved cards in a real browser', () => {
  it('save a card in one checkout, pay the next one with it without typing it, then delete it', async () => {
    const page = await (await browser!.newContext()).newPage();
    await page.goto(demoUrl);
    await page.selectOption('#kind', 'card');
    await page.getByLabel('Signed in as the demo shopper').check();
    await page.getByLabel('Save my card for next time').check();

    // Checkout 1: the card is typed once, and saved.
    await newCart(page);
    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    const first = await paidPaymentIntent(page);
    expect(first).toMatchObject({ status: 'succeeded', amount: 2999 });
    expect(first.customer).toMatch(/^cus_/);
    const customer = first.customer!;

    // Checkout 2: the saved card is offered; paying with it needs no card details.
    await page.getByLabel('Save my card for next time').uncheck();
    await newCart(page);
    const use = page.getByRole('button', { name: /^Use .*4242/ });
    await use.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await use.click();
    await page
      .locator('.ctc-stored')
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        throw new Error(`the saved card was not shown: ${await page.locator('#result').textContent()}`);
      });
    await page.screenshot({ path: path.join(ARTIFACTS, 'saved-card.png'), fullPage: true });
    await page.click('#pay');
    const second = await paidPaymentIntent(page);
    expect(second).toMatchObject({ status: 'succeeded', amount: 2999, customer, payment_method: first.payment_method });

    // Checkout 3: delete it; Stripe no longer has it on the customer, and it is no longer offered.
    await newCart(page);
    await page.getByRole('button', { name: /^Delete .*4242/ }).click();
    await page.locator('#result', { hasText: 'Card deleted.' }).waitFor();
    await expect(page.getByRole('button', { name: /^Use .*4242/ }).count()).resolves.toBe(0);
    const pm = await stripe<{ customer: string | null }>(`/payment_methods/${first.payment_method}`);
    expect(pm.customer).toBeNull();
    await page.context().close();
  }, 90_000);
});
