import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from 'sandbox/src/testing/spawn';
import { reconcile } from '../../src/sync/reconcile';
import { browserConfirm } from '../../testing/stripe';
import { control, ordersOfCart, quiesce, startWiredProcessor, txView } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;

beforeAll(async () => {
  world = await startWorld();
  processor = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' });
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

async function payWithLostWebhooks() {
  const { sessionId, cartId } = await checkout(world);
  await control(world, '/webhooks/settings', { dropNext: 100 });
  try {
    const created = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    await quiesce(world);
    return { cartId, paymentId: created.body.paymentReference as string };
  } finally {
    await control(world, '/webhooks/settings', { dropNext: 0 });
  }
}

it('D25: events dropped entirely are recovered by reconcile; a dry run changes nothing; a second run finds nothing', async () => {
  const since = new Date(Date.now() - 60_000);
  const { cartId, paymentId } = await payWithLostWebhooks();
  expect((await processor.deps.sdk.ctAPI.payment.getPaymentById(paymentId)).transactions).toEqual([]);

  const dry = await reconcile(processor.deps.payments, since, { dryRun: true });
  const item = dry.items.find((i) => i.paymentId === paymentId);
  expect(item).toMatchObject({
    result: 'would-fix',
    drift: expect.arrayContaining(['addTransaction Authorization Success 2999', 'addTransaction Charge Success 2999']),
  });
  expect((await processor.deps.sdk.ctAPI.payment.getPaymentById(paymentId)).transactions).toEqual([]);

  const fixed = await reconcile(processor.deps.payments, since);
  expect(fixed.items.find((i) => i.paymentId === paymentId)?.result).toBe('fixed');
  expect(fixed.failed).toBe(0);
  expect(
    txView(await processor.deps.sdk.ctAPI.payment.getPaymentById(paymentId)).map((t) => [t.type, t.state]),
  ).toEqual([
    ['Authorization', 'Success'],
    ['Charge', 'Success'],
  ]);
  expect(await ordersOfCart(processor, cartId)).toHaveLength(1);

  const again = await reconcile(processor.deps.payments, since);
  expect(again.items.find((i) => i.paymentId === paymentId)?.result).toBe('in-sync');
});

it('npm run reconcile: prints what drifted as JSON and exits 0; bad usage exits 2', async () => {
  const { paymentId } = await payWithLostWebhooks();
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(world.env).filter(([, v]) => v !== undefined)),
    STRIPE_WEBHOOK_SIGNING_SECRET: 'whsec_unused_here',
  } as Record<string, string>;
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', `${REPO_ROOT}/processor/src/cli/reconcile.ts`, ...args, '--dotenv', 'none'],
      {
        cwd: `${REPO_ROOT}/processor/test`,
        env,
        encoding: 'utf8',
        timeout: 30000,
      },
    );
  const result = run(['--since', '10m', '--json']);
  expect(result.status).toBe(0);
  const report = JSON.parse(result.stdout) as { items: { paymentId: string; result: string }[]; failed: number };
  expect(report.items.find((i) => i.paymentId === paymentId)?.result).toBe('fixed');
  expect(run(['--since', 'yesterday-ish']).status).toBe(2);
  expect(run(['--bogus']).status).toBe(2);
});
