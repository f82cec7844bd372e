import { freePort } from 'sandbox/src/testing/spawn';
import { clearFaults, cliEnv, fault, runCli } from '../../testing/cli';
import { startWorld, type World } from '../../testing/world';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(() => world?.stop());
afterEach(() => clearFaults(world));

/** A port nothing listens on (freed right away): connecting to it is refused. */
const closedPort = freePort;

const secretsOf = (w: World) => [w.env.CTP_CLIENT_SECRET!, w.env.STRIPE_SECRET_KEY!];

describe('post-deploy and pre-undeploy say what they do while they do it', () => {
  it('prints each step when it happens, not only a plan at the end', async () => {
    // Each of the three type lookups answers after 1.5 s.
    await fault(world, 'commercetools', { method: 'GET', path: '/sandbox/types/**', delayMs: 1500, times: 3 });
    const run = await runCli('deploy', ['post-deploy', '--dry-run'], { env: cliEnv(world) });
    expect(run.status).toBe(0);
    const at = (pattern: RegExp) => run.lines.find((l) => pattern.test(l.text))?.at ?? Number.NaN;
    const webhook = at(/^\s+create\s+Stripe webhook endpoint/);
    const lastType = at(/^\s+create\s+commercetools type commercetools-checkout-payment-interface-interaction/);
    expect(run.lines.filter((l) => /^\s+checking\s/.test(l.text)).map((l) => l.text.trim())).toEqual([
      'checking  Stripe webhook endpoint',
      'checking  commercetools type commercetools-checkout-card-details',
      'checking  commercetools type commercetools-checkout-sepa-details',
      'checking  commercetools type commercetools-checkout-payment-interface-interaction',
    ]);
    expect(lastType - webhook).toBeGreaterThan(3500);
    expect(run.lines.at(-1)?.text).toBe('done');
  });

  it('--timeout bounds every commercetools request; the failure names commercetools, its address and the wait', async () => {
    await fault(world, 'commercetools', { method: '*', path: '/**', delayMs: 60000, times: 100 });
    const run = await runCli('deploy', ['post-deploy', '--dry-run', '--timeout', '2'], {
      env: cliEnv(world),
      timeoutMs: 30000,
    });
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(15000);
    const ct = world.sandbox.info.commercetools;
    expect(run.stdout).toContain(`commercetools (${ct}) did not answer within 2 s`);
    expect(run.stdout).toMatch(/create\s+Stripe webhook endpoint/);
    // Once commercetools did not answer, the other type steps do not wait for it again.
    expect(run.stdout.match(/did not answer within 2 s/g)).toHaveLength(3);
    expect(run.stdout).toMatch(/commercetools-checkout-sepa-details — FAILED: not tried: commercetools/);
  });

  it('UPSTREAM_TIMEOUT_SECONDS bounds every Stripe request', async () => {
    await fault(world, 'stripe', { method: '*', path: '/**', delayMs: 60000, times: 100 });
    const run = await runCli('deploy', ['post-deploy', '--dry-run'], {
      env: cliEnv(world, { UPSTREAM_TIMEOUT_SECONDS: '2' }),
      timeoutMs: 30000,
    });
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(15000);
    expect(run.stdout).toContain(`Stripe (${world.sandbox.info.stripe}) did not answer within 2 s`);
    expect(run.stdout).toMatch(/create\s+commercetools type commercetools-checkout-card-details/);
  });

  it('a refused connection names the upstream and the cause, and no secret is printed', async () => {
    const port = await closedPort();
    const stripeDown = await runCli('deploy', ['post-deploy', '--dry-run'], {
      env: cliEnv(world, { STRIPE_API_URL: `http://127.0.0.1:${port}` }),
    });
    expect(stripeDown.status).toBe(1);
    expect(stripeDown.stdout).toContain(`Stripe (http://127.0.0.1:${port}): connection refused`);
    const ctRefused = await runCli('deploy', ['pre-undeploy', '--dry-run'], {
      env: cliEnv(world, { CTP_API_URL: `http://127.0.0.1:${port}`, CTP_AUTH_URL: `http://127.0.0.1:${port}` }),
    });
    expect(ctRefused.status).toBe(1);
    expect(ctRefused.stdout).toContain(`commercetools (http://127.0.0.1:${port}): connection refused`);
    for (const secret of secretsOf(world)) {
      expect(stripeDown.stdout + stripeDown.stderr).not.toContain(secret);
      expect(ctRefused.stdout + ctRefused.stderr).not.toContain(secret);
    }
  });

  it('pre-undeploy prints its steps as they happen, and a slow Stripe does not hold up the rest', async () => {
    await fault(world, 'stripe', { method: '*', path: '/**', delayMs: 60000, times: 100 });
    const run = await runCli('deploy', ['pre-undeploy', '--dry-run', '--timeout', '2'], {
      env: cliEnv(world),
      timeoutMs: 30000,
    });
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(15000);
    expect(run.lines.map((l) => l.text.trim())).toEqual(
      expect.arrayContaining([
        'checking  Stripe webhook endpoint',
        `skip      Stripe webhook endpoint — FAILED: Stripe (${world.sandbox.info.stripe}) did not answer within 2 s`,
        'checking  stored webhook signing secret',
        'unchanged stored webhook signing secret',
      ]),
    );
  });

  it('--json: the report alone on stdout and the steps on stderr; errors are JSON on stdout too', async () => {
    const ok = await runCli('deploy', ['post-deploy', '--dry-run', '--json'], { env: cliEnv(world) });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, dryRun: true });
    expect(ok.stderr).toContain('checking  Stripe webhook endpoint');

    const bad = await runCli('deploy', ['post-deploy', '--json'], {
      env: cliEnv(world, { STRIPE_SECRET_KEY: undefined, CTP_CLIENT_SECRET: 'xxxx' }),
    });
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({
      error: {
        kind: 'config',
        message: expect.stringContaining('Invalid configuration (2 problems)'),
        problems: expect.arrayContaining([
          'CTP_CLIENT_SECRET: is a placeholder, set the real value',
          'STRIPE_SECRET_KEY: is required',
        ]),
      },
    });

    const usage = await runCli('deploy', ['post-deploy', '--json', '--timeout', 'soon'], { env: cliEnv(world) });
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: { kind: 'usage', message: expect.stringContaining('--timeout'), usage: expect.stringContaining('deploy') },
    });
  });
});
