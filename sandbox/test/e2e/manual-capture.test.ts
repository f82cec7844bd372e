/// <reference lib="dom" />
/**
 * Manual capture in a real browser: `STRIPE_CAPTURE_METHOD=manual npm start`, pay on the demo
 * page, then capture from its merchant panel (through /operations with an OAuth2 token).
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from '../../src/testing/spawn';
import { canRunBrowser, launchChromium, typeCard } from '../stand-in/harness';
import { startStack, type Stack } from './stack';

const maybe = canRunBrowser ? describe : describe.skip;
let stack: Stack | undefined;
let browser: Browser | undefined;
let demoUrl = '';

beforeAll(async () => {
  if (!canRunBrowser) return;
  stack = await startStack({ STRIPE_CAPTURE_METHOD: 'manual' });
  const output = stack.output;
  demoUrl = /demo checkout page\s+(\S+)/.exec(output)![1]!;
  browser = await launchChromium();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

maybe('manual capture in a real browser', () => {
  it('authorizes (order Pending), then a capture from the merchant panel records the Charge (order Paid)', async () => {
    const page = await browser!.newPage();
    await page.goto(demoUrl);
    await page.click('#start');
    await page.waitForSelector('#pay:not([disabled])');
    await typeCard(page, '4242 4242 4242 4242');
    await page.click('#pay');
    await page.waitForFunction(
      () => document.querySelector('#transactions tr[data-type="Authorization"][data-state="Success"]') !== null,
      undefined,
      { timeout: 15000 },
    );
    await page.waitForFunction(() => document.getElementById('order')?.dataset.paymentState === 'Pending', undefined, {
      timeout: 15000,
    });
    expect(await page.locator('#transactions tr[data-type="Charge"]').count()).toBe(0);
    await page.fill('#amount', '2999');
    await page.click('[data-op="capturePayment"]');
    await page.waitForFunction(
      () => document.querySelector('#transactions tr[data-type="Charge"][data-state="Success"]') !== null,
      undefined,
      { timeout: 15000 },
    );
    await page.waitForFunction(() => document.getElementById('order')?.dataset.paymentState === 'Paid', undefined, {
      timeout: 15000,
    });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'manual-capture.png'), fullPage: true });
  });
});
