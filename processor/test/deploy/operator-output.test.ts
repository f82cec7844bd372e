import { clearFaults, cliEnv, fault, runCli } from '../support/cli';
import { startWorld, type World } from '../support/world';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(() => world?.stop());
afterEach(() => clearFaults(world));

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

    const usage = await runCli('deploy', ['post-deploy', '--json', '--bogus'], { env: cliEnv(world) });
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: { kind: 'usage', message: 'unknown argument: --bogus', usage: expect.stringContaining('deploy') },
    });
  });
});
