/// <reference lib="dom" />
/**
 * The whole product in a real browser: `npm start` (sandbox, jwt-mock, processor, demo page),
 * Chromium driving the demo page, the enabler and the Stripe.js stand-in. Screenshots of each
 * final state go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/testing/spawn';
import { canRunBrowser, launchChromium, typeCard } from '../stand-in/harness';
import { startStack, type Stack } from './stack';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const maybe = canRunBrowser ? describe : describe.skip;

let stack: Stack | undefined;
let browser: Browser | undefined;
let demoUrl = '';
let processorUrl = '';
let jwtUrl = '';
const external: string[] = [];

beforeAll(async () => {
  if (!canRunBrowser) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  // Asynchronous payments stay processing until a test settles them.
  stack = await startStack({ SANDBOX_ASYNC_SETTLE_MS: '600000' });
  const output = stack.output;
  demoUrl = /demo checkout page\s+(\S+)/.exec(output)![1]!;
  processorUrl = /processor\s+(\S+)/.exec(output)![1]!;
  jwtUrl = /jwt-mock \(Merchant Center\)\s+(\S+)\/jwt\//.exec(output)![1]!;
  browser = await launchChromium();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function shop(kind = 'dropin'): Promise<Page> {
  const context = await browser!.newContext();
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === 'localhost' || host === '127.0.0.1') return route.continue();
    external.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(demoUrl);
  await page.selectOption('#kind', kind);
  await page.click('#start');
  await page.waitForSelector('#pay:not([disabled])');
  return page;
}

const result = (page: Page) => page.locator('#result');
async function waitForRow(page: Page, type: string, state: string, count = 1) {
  await page.waitForFunction(
    ([t, s, n]) =>
      document.querySelectorAll(`#transactions tr[data-type="${t}"][data-state="${s}"]`).length >= Number(n),
    [type, state, String(count)],
    { timeout: 15000 },
  );
}

maybe('checkout in a real browser', () => {
  it('card success with automatic capture: approved, Charge in commercetools, an order; zero requests leave the machine', async () => {
    const page = await shop();
    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ok', undefined, {
      timeout: 15000,
    });
    await waitForRow(page, 'Charge', 'Success');
    await page.waitForFunction(() => document.getElementById('order')?.dataset.paymentState === 'Paid', undefined, {
      timeout: 15000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'card-success.png'), fullPage: true });
    expect(external).toEqual([]);
  });

  it('D15: a declined card shows the decline code, and a retry with a good card is approved', async () => {
    const page = await shop();
    await typeCard(page, '4000 0000 0000 0002');
    await page.click('#pay');
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ko', undefined, {
      timeout: 15000,
    });
    expect(await result(page).textContent()).toMatch(/card_declined, generic_decline/);
    for (const label of ['Card number', 'Expiration date', 'Security code']) await page.getByLabel(label).fill('');
    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ok', undefined, {
      timeout: 15000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'decline-then-retry.png'), fullPage: true });
  });

  it('3-D Secure: the challenge passed is approved', async () => {
    const page = await shop();
    await typeCard(page, '4000 0025 0000 3155');
    await page.click('#pay');
    const dialog = page.getByRole('dialog', { name: '3D Secure 2 Test Page' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Complete' }).click();
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ok', undefined, {
      timeout: 15000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, '3ds-complete.png'), fullPage: true });
  });

  it('3-D Secure: the challenge failed is a decline with its code', async () => {
    const page = await shop();
    await typeCard(page, '4000 0025 0000 3155');
    await page.click('#pay');
    const dialog = page.getByRole('dialog', { name: '3D Secure 2 Test Page' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Fail' }).click();
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ko', undefined, {
      timeout: 15000,
    });
    expect(await result(page).textContent()).toMatch(/payment_intent_authentication_failure/);
  });

  it('a redirect method (iDEAL) goes to the bank and back to the page, which finishes the payment', async () => {
    const page = await shop('ideal');
    await page.click('#pay');
    await page.waitForURL(/\/_sandbox\/redirect\//, { timeout: 15000 });
    await page.getByRole('button', { name: 'Authorize test payment' }).click();
    await page.waitForURL(/\/return\?/, { timeout: 15000 });
    expect(new URL(page.url()).searchParams.get('paymentReference')).toBeTruthy();
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ok', undefined, {
      timeout: 15000,
    });
    await waitForRow(page, 'Charge', 'Success');
    await page.screenshot({ path: path.join(ARTIFACTS, 'ideal-redirect.png'), fullPage: true });
  });

  it('D14: every component /operations/payment-components lists is built and mounted by the enabler', async () => {
    const jwt = (await (
      await fetch(`${jwtUrl}/jwt/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { token: string };
    const listed = (await (
      await fetch(`${processorUrl}/operations/payment-components`, {
        headers: { authorization: `Bearer ${jwt.token}` },
      })
    ).json()) as {
      dropins: { type: string }[];
      components: { type: string }[];
    };
    expect(listed.dropins).toEqual([{ type: 'embedded' }]);
    for (const kind of ['dropin', ...listed.components.map((c) => c.type)]) {
      const page = await shop(kind);
      expect(await page.locator('#payment-element').innerHTML()).not.toBe('');
      await page.context().close();
    }
  });

  it('two partial refunds from the merchant panel: two Refund transactions', async () => {
    const page = await shop('card');
    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    await waitForRow(page, 'Charge', 'Success');
    await page.fill('#amount', '500');
    await page.click('[data-op="refundPayment"]');
    await waitForRow(page, 'Refund', 'Success', 1);
    await page.click('[data-op="refundPayment"]');
    await waitForRow(page, 'Refund', 'Success', 2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'two-refunds.png'), fullPage: true });
  });

  it('D16: SEPA Direct Debit is pending (no order) until the bank settles it', async () => {
    const page = await shop('sepa_debit');
    await page.getByLabel('Full name').pressSequentially('Jenny Rosen');
    await page.getByLabel('Email').pressSequentially('jenny@example.com');
    await page.getByLabel('IBAN').pressSequentially('DE89370400440532013000');
    await page.click('#pay');
    await page.waitForFunction(() => document.getElementById('result')?.className === 'pending', undefined, {
      timeout: 15000,
    });
    await waitForRow(page, 'Authorization', 'Pending');
    expect(await page.locator('#order').textContent()).toBe('No order yet.');
    await page.click('[data-stripe="settle"]');
    await waitForRow(page, 'Charge', 'Success');
    await page.waitForFunction(() => document.getElementById('order')?.dataset.paymentState === 'Paid', undefined, {
      timeout: 15000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'sepa-settled.png'), fullPage: true });
  });

  it('no page of the whole run made a request that leaves the machine', () => {
    expect(external).toEqual([]);
  });
});
