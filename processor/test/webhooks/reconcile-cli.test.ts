import { clearFaults, cliEnv, fault, runCli } from '../support/cli';
import { browserConfirm, stripeFor } from '../support/stripe';
import { control, quiesce, startWiredProcessor } from '../support/wired';
import { call, checkout, startWorld, type Processor, type World } from '../support/world';

let world: World;
let processor: Processor;

beforeAll(async () => {
  world = await startWorld();
  processor = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'automatic' });
  // Two payments whose webhooks were lost, and three PaymentIntents naming payments that do not exist.
  for (let i = 0; i < 2; i++) {
    const { sessionId } = await checkout(world);
    await control(world, '/webhooks/settings', { dropNext: 100 });
    const created = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
    await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
    await quiesce(world);
    await control(world, '/webhooks/settings', { dropNext: 0 });
  }
  for (let i = 0; i < 3; i++) {
    await stripeFor(world).paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      metadata: { ct_project_key: 'sandbox', ct_payment_id: `no-such-payment-${i}` },
    });
  }
}, 60000);
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});
afterEach(() => clearFaults(world));

const env = () => cliEnv(world, { STRIPE_WEBHOOK_SIGNING_SECRET: 'whsec_unused_here' });

it('prints progress every N payments and at the end, with the counts, while it runs', async () => {
  // Every payment lookup answers after 1.5 s: four run at once, the fifth after them.
  await fault(world, 'commercetools', { method: 'GET', path: '/sandbox/payments/*', delayMs: 1500, times: 5 });
  const run = await runCli('reconcile', ['--since', '1h', '--dry-run', '--progress', '2'], { env: env() });
  expect(run.status).toBe(1); // three payments are missing
  const progress = run.lines.filter((l) => /^\s+checked \d+ of 5/.test(l.text));
  expect(progress.map((l) => /checked (\d+) of/.exec(l.text)![1])).toEqual(['2', '4', '5']);
  expect(progress.at(-1)!.text.trim()).toBe('checked 5 of 5: in sync 0, would fix 2, failed 0, payment missing 3');
  expect(progress.at(-1)!.at - progress[0]!.at).toBeGreaterThan(1000);
  // The first line comes before any upstream answered.
  expect(run.lines[0]!.text).toMatch(/^Reconcile since .*: listing the PaymentIntents of project sandbox in Stripe/);
  expect(progress[0]!.at - run.lines[0]!.at).toBeGreaterThan(1000);
});

it('--json: the report alone on stdout, progress on stderr', async () => {
  const run = await runCli('reconcile', ['--since', '1h', '--dry-run', '--json'], { env: env() });
  expect(run.status).toBe(1);
  expect(JSON.parse(run.stdout)).toMatchObject({ checked: 5, fixed: 2, missing: 3 });
  expect(run.stderr).toContain('checked 5 of 5: in sync 0, would fix 2, failed 0, payment missing 3');
});
