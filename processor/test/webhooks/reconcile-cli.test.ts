import { createServer } from 'node:net';
import { clearFaults, cliEnv, fault, runCli } from '../../testing/cli';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { control, quiesce, startWiredProcessor } from '../../testing/wired';
import { call, checkout, startWorld, type Processor, type World } from '../../testing/world';

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

it('a commercetools that does not answer stops the run after one timeout, naming it, the wait and what was not checked', async () => {
  await fault(world, 'commercetools', { method: '*', path: '/**', delayMs: 60000, times: 100 });
  const run = await runCli('reconcile', ['--since', '1h', '--timeout', '2'], { env: env(), timeoutMs: 30000 });
  expect(run.status).toBe(1);
  expect(run.ms).toBeLessThan(15000);
  expect(run.stdout).toContain(`commercetools (${world.sandbox.info.commercetools}) did not answer within 2 s`);
  // The payments already asked about fail; the others are not started.
  expect(run.stdout).toMatch(/^stopped: commercetools \(.*\) did not answer within 2 s; [1-4] of 5 not checked\./m);
});

it('a refused Stripe is named; with --json the error is JSON on stdout', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const stripe = `http://127.0.0.1:${port}`;
  const text = await runCli('reconcile', ['--since', '1h'], { env: cliEnv(world, { STRIPE_API_URL: stripe }) });
  expect(text.status).toBe(1);
  expect(text.stderr).toContain(`Stripe (${stripe}): connection refused`);
  const json = await runCli('reconcile', ['--since', '1h', '--json'], {
    env: cliEnv(world, { STRIPE_API_URL: stripe }),
  });
  expect(json.status).toBe(1);
  expect(JSON.parse(json.stdout)).toEqual({
    error: {
      kind: 'upstream',
      upstream: 'Stripe',
      origin: stripe,
      cause: 'connection refused',
      message: `Stripe (${stripe}): connection refused`,
    },
  });
  expect(json.stdout + json.stderr).not.toContain(world.env.STRIPE_SECRET_KEY!);
});
