/// <reference lib="dom" />
/**
 * Manual capture in a real browser: `STRIPE_CAPTURE_METHOD=manual npm start`, pay on the demo
 * page, then capture from its merchant panel (through /operations with an OAuth2 token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from '../../src/testing/spawn';
import { canRunBrowser, launchChromium, typeCard } from '../stand-in/harness';

const maybe = canRunBrowser ? describe : describe.skip;
let start: ChildProcess | undefined;
let browser: Browser | undefined;
let demoUrl = '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  if (!canRunBrowser) return;
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  start = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SANDBOX_CT_PORT: String(ports[0]),
      SANDBOX_STRIPE_PORT: String(ports[1]),
      JWT_MOCK_PORT: String(ports[2]),
      PROCESSOR_PORT: String(ports[3]),
      DEMO_PORT: String(ports[4]),
      STRIPE_CAPTURE_METHOD: 'manual',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  start.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  start.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready:\n${output}`)), 40000);
    const poll = setInterval(() => {
      if (!output.includes('Ctrl-C stops everything.')) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    }, 100);
  });
  demoUrl = /demo checkout page\s+(\S+)/.exec(output)![1]!;
  browser = await launchChromium();
}, 60000);

afterAll(async () => {
  await browser?.close();
  if (start && start.exitCode === null) {
    const exited = new Promise((resolve) => start!.once('exit', resolve));
    start.kill('SIGINT');
    await exited;
  }
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
