/// <reference lib="dom" />
/**
 * The whole product in a real browser: `npm start` (sandbox, jwt-mock, processor, demo page),
 * Chromium driving the demo page, the enabler and the Stripe.js stand-in. Screenshots of each
 * final state go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/testing/spawn';
import { canRunBrowser, launchChromium, typeCard } from '../stand-in/harness';
import { axeViolations } from './axe';
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

/** Responses with a status of 400 or more, console errors and uncaught errors, of each page. */
const problems = new WeakMap<Page, string[]>();

async function shop(
  kind = 'dropin',
  options: { start?: boolean; context?: BrowserContextOptions } = {},
): Promise<Page> {
  const context = await browser!.newContext(options.context);
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === 'localhost' || host === '127.0.0.1') return route.continue();
    external.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  const seen: string[] = [];
  problems.set(page, seen);
  page.on('response', (r) => r.status() >= 400 && seen.push(`${r.status()} ${r.request().method()} ${r.url()}`));
  page.on('console', (m) => m.type() === 'error' && seen.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  await page.goto(demoUrl);
  await page.selectOption('#kind', kind);
  if (options.start === false) return page;
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

  it('a card checkout as a shopper sees it: the total on Pay, Pay disabled while paying and after success, the order number in the confirmation; no response ≥ 400, no console error', async () => {
    const page = await shop('card');
    const pay = page.locator('#pay');
    expect(await pay.textContent()).toBe('Pay €29.99');
    await typeCard(page, '4242 4242 4242 4242');
    await pay.click();
    expect(await pay.isDisabled()).toBe(true);
    await page.waitForFunction(() => document.getElementById('order')?.dataset.paymentState === 'Paid', undefined, {
      timeout: 15000,
    });
    const orderNumber = /^Order (\S+) — /.exec((await page.locator('#order').textContent())!)![1]!;
    await page.waitForFunction(
      (n) => document.getElementById('result')?.textContent?.includes(`order ${n} is confirmed`),
      orderNumber,
      { timeout: 15000 },
    );
    expect(await result(page).getAttribute('class')).toBe('ok');
    expect(await pay.isDisabled()).toBe(true);
    expect(await page.locator('#start').isEnabled()).toBe(true);
    // Nothing the page polls meanwhile brings Pay back or replaces the confirmation.
    await page.waitForTimeout(1500);
    expect(await pay.isDisabled()).toBe(true);
    expect(await result(page).textContent()).toBe(`Payment approved. Thank you: order ${orderNumber} is confirmed.`);
    expect(problems.get(page)).toEqual([]);
    await page.context().close();
  });

  it('New cart forgets the paid payment (its id, transactions, order, merchant result) and a second cart pays as a new payment', async () => {
    const page = await shop('card');
    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    await waitForRow(page, 'Charge', 'Success');
    await page.fill('#amount', '500');
    await page.click('[data-op="refundPayment"]');
    await waitForRow(page, 'Refund', 'Success');
    await page.waitForFunction(() => document.getElementById('op-result')?.textContent !== '');
    const first = (await page.locator('#payment-id').textContent())!;
    expect(first).not.toBe('');

    await page.click('#start');
    await page.waitForSelector('#pay:not([disabled])');
    // Past a few polls of the page: the old payment does not come back.
    await page.waitForTimeout(1500);
    expect(await page.locator('#payment-id').textContent()).toBe('');
    expect(await page.locator('#transactions tr').count()).toBe(0);
    expect(await page.locator('#order').textContent()).toBe('No order yet.');
    expect(await page.locator('#op-result').textContent()).toBe('');
    expect(await result(page).textContent()).toBe('');
    expect(await page.locator('[data-op="refundPayment"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-stripe="dispute"]').isDisabled()).toBe(true);
    expect(await page.locator('#pay').textContent()).toBe('Pay €29.99');

    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    await waitForRow(page, 'Charge', 'Success');
    const second = (await page.locator('#payment-id').textContent())!;
    expect(second).not.toBe('');
    expect(second).not.toBe(first);
    expect(await page.locator('#transactions tr[data-type="Refund"]').count()).toBe(0);
    await page.context().close();
  });

  it('on a phone (390×844): one column, nothing wider than the screen, controls sized for a finger', async () => {
    const page = await shop('dropin', {
      context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    });
    await typeCard(page, '4242 4242 4242 4242');
    await page.tap('#pay');
    await page.waitForFunction(() => document.getElementById('order')?.dataset.paymentState === 'Paid', undefined, {
      timeout: 15000,
    });
    const layout = await page.evaluate(() => {
      const [pay, payment] = [...document.querySelectorAll('main section')].map((s) => s.getBoundingClientRect());
      const controls = [
        ...document.querySelectorAll<HTMLElement>('#kind, #start, #pay, #amount, [data-op], [data-stripe]'),
      ];
      return {
        width: window.innerWidth,
        scrollWidth: document.documentElement.scrollWidth,
        sameColumn: pay!.left === payment!.left && payment!.top >= pay!.bottom,
        small: controls
          .filter((c) => c.getBoundingClientRect().height < 44)
          .map((c) => `${c.id || c.textContent}: ${c.getBoundingClientRect().height}px`),
      };
    });
    expect(layout.width).toBe(390);
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.sameColumn).toBe(true);
    expect(layout.small).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone.png'), fullPage: true });
    await page.context().close();
  });

  it('accessibility (axe-core): no violation on the page at first, with the drop-in mounted, after a success and after a decline', async () => {
    const page = await shop('dropin', { start: false });
    expect({ state: 'initial', violations: await axeViolations(page) }).toEqual({ state: 'initial', violations: [] });
    await page.click('#start');
    await page.waitForSelector('#pay:not([disabled])');
    expect({ state: 'mounted', violations: await axeViolations(page) }).toEqual({ state: 'mounted', violations: [] });
    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    await page.waitForFunction(() => document.getElementById('order')?.dataset.paymentState === 'Paid', undefined, {
      timeout: 15000,
    });
    expect({ state: 'success', violations: await axeViolations(page) }).toEqual({ state: 'success', violations: [] });

    await page.click('#start');
    await page.waitForSelector('#pay:not([disabled])');
    await typeCard(page, '4000 0000 0000 0002');
    await page.click('#pay');
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ko', undefined, {
      timeout: 15000,
    });
    expect({ state: 'declined', violations: await axeViolations(page) }).toEqual({ state: 'declined', violations: [] });
    await page.context().close();
  });

  it('D15: a declined card shows the decline code, and a retry with a good card is approved', async () => {
    const page = await shop();
    await typeCard(page, '4000 0000 0000 0002');
    await page.click('#pay');
    await page.waitForFunction(() => document.getElementById('result')?.className === 'ko', undefined, {
      timeout: 15000,
    });
    expect(await result(page).textContent()).toMatch(/card_declined, generic_decline/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'decline.png'), fullPage: true });
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
    // The challenge over the shop, as Stripe.js shows the issuer's page.
    expect(await axeViolations(page)).toEqual([]);
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
    await page.screenshot({ path: path.join(ARTIFACTS, '3ds-failed.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
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
    expect(await axeViolations(page)).toEqual([]);
    // The shop, the bank's page and the way back: no response of 400 or more, no console error.
    expect(problems.get(page)).toEqual([]);
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
    await page.screenshot({ path: path.join(ARTIFACTS, 'sepa-pending.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
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
