import { loadConfig } from '../../src/config/load-config';
import { postDeploy } from '../../src/deploy/post-deploy';
import { buildDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { cliEnv, runCli } from '../../testing/cli';
import { counters, resetCounters, stripeFor } from '../../testing/stripe';
import { mcToken } from '../../testing/tokens';
import { control } from '../../testing/wired';
import { call, startProcessor, startWorld, type World } from '../../testing/world';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(() => world?.stop());

const ORIGINS = [
  'https://shop.example.com',
  'https://shop.example.com:8443', // the same domain: registered once
  'https://www.example.com',
  'http://localhost:3000',
  'https://127.0.0.1:8443',
  'http://plain.example.com',
].join(',');
const SERVICE_URL = 'https://processor.example.com';

function deployDeps(env: Record<string, string | undefined>) {
  const config = loadConfig({ ...world.env, STRIPE_WEBHOOK_SIGNING_SECRET: undefined, ...env });
  const deps = buildDeps(config, createLogger('silent'));
  return { config, sdk: deps.sdk, stripe: deps.stripe };
}

const domains = async () =>
  (await stripeFor(world).paymentMethodDomains.list({ limit: 100 })).data
    .map((d) => `${d.domain_name} ${d.enabled ? 'enabled' : 'disabled'}`)
    .sort();

/** Stripe writes on payment method domains since the counters were reset. */
const domainWrites = async () =>
  Object.entries((await counters(world, 'stripe')).byRoute)
    .filter(([route]) => route.startsWith('POST ') && route.includes('payment_method_domains'))
    .reduce((total, [, { count }]) => total + count, 0);

describe('post-deploy registers the allowed origins as payment method domains', () => {
  it('off when STRIPE_EXPRESS_WALLETS is empty: no domain step, nothing registered', async () => {
    const report = await postDeploy(
      deployDeps({ ALLOWED_ORIGINS: ORIGINS, STRIPE_EXPRESS_WALLETS: '', CONNECT_SERVICE_URL: SERVICE_URL }),
      {
        dryRun: true,
      },
    );
    expect(report.items.filter((i) => i.item.includes('payment method domain'))).toEqual([]);
    expect(await domains()).toEqual([]);
  });

  it('creates each registrable hostname once, skips what Stripe cannot register with one line, writes nothing on a second run', async () => {
    const env = cliEnv(world, { ALLOWED_ORIGINS: ORIGINS, CONNECT_SERVICE_URL: SERVICE_URL });
    const first = await runCli('deploy', ['post-deploy'], { env });
    expect(first.status).toBe(0);
    const lines = first.stdout
      .split('\n')
      .filter((l) => l.includes('payment method domain') && !l.includes('checking'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^ {2}create {4}Stripe payment method domain shop\.example\.com \(pmd_\w+\): for https:\/\/shop\.example\.com$/,
      ),
      expect.stringMatching(/^ {2}create {4}Stripe payment method domain www\.example\.com \(pmd_\w+\)/),
      '  skip      Stripe payment method domain http://localhost:3000: not HTTPS: wallets are offered on HTTPS pages only',
      '  skip      Stripe payment method domain https://127.0.0.1:8443: an IP address cannot be registered with Stripe',
      '  skip      Stripe payment method domain http://plain.example.com: not HTTPS: wallets are offered on HTTPS pages only',
    ]);
    expect(await domains()).toEqual(['shop.example.com enabled', 'www.example.com enabled']);

    // Someone disables one in the dashboard: the next run enables it again, and only that.
    const www = (await stripeFor(world).paymentMethodDomains.list({ domain_name: 'www.example.com' })).data[0]!;
    await stripeFor(world).paymentMethodDomains.update(www.id, { enabled: false });
    await resetCounters(world);
    const second = await postDeploy(deployDeps({ ALLOWED_ORIGINS: ORIGINS, CONNECT_SERVICE_URL: SERVICE_URL }));
    expect(second.ok).toBe(true);
    expect(
      second.items.filter((i) => i.item.includes('payment method domain')).map((i) => [i.item, i.action, i.changes]),
    ).toEqual([
      ['Stripe payment method domain shop.example.com', 'unchanged', []],
      ['Stripe payment method domain www.example.com', 'update', ['enable']],
      ['Stripe payment method domain http://localhost:3000', 'skip', [expect.any(String)]],
      ['Stripe payment method domain https://127.0.0.1:8443', 'skip', [expect.any(String)]],
      ['Stripe payment method domain http://plain.example.com', 'skip', [expect.any(String)]],
    ]);
    expect(await domainWrites()).toBe(1);
    expect(await domains()).toEqual(['shop.example.com enabled', 'www.example.com enabled']);

    await resetCounters(world);
    const third = await postDeploy(deployDeps({ ALLOWED_ORIGINS: ORIGINS, CONNECT_SERVICE_URL: SERVICE_URL }));
    expect(third.items.filter((i) => i.item.includes('payment method domain') && i.action !== 'skip')).toEqual([
      expect.objectContaining({ action: 'unchanged' }),
      expect.objectContaining({ action: 'unchanged' }),
    ]);
    expect(await domainWrites()).toBe(0);
  });

  it('/operations/status reports each domain, Apple Pay verification included, without changing the overall status', async () => {
    await postDeploy(deployDeps({ ALLOWED_ORIGINS: ORIGINS, CONNECT_SERVICE_URL: SERVICE_URL }));
    const processor = await startProcessor(world, {
      ALLOWED_ORIGINS: `${ORIGINS},https://new.example.com`,
      CONNECT_SERVICE_URL: SERVICE_URL,
    });
    try {
      await control(world, '/payment_method_domains/apple_pay', {
        domain_name: 'www.example.com',
        verified: false,
        message: 'Apple could not verify www.example.com.',
      });
      const res = await call(`${processor.url}/operations/status`, {
        headers: { authorization: `Bearer ${await mcToken(world)}` },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('OK');
      const check = res.body.checks.find((c: { name: string }) => c.name === 'Stripe payment method domains');
      expect(check).toEqual({
        name: 'Stripe payment method domains',
        status: 'DOWN',
        message: expect.stringContaining(
          'www.example.com: not verified for Apple Pay (Apple could not verify www.example.com.)',
        ),
        details: {
          severity: 'warning',
          domains: [
            {
              origin: 'https://shop.example.com',
              domain: 'shop.example.com',
              id: expect.stringMatching(/^pmd_/),
              state: 'verified',
            },
            {
              origin: 'https://www.example.com',
              domain: 'www.example.com',
              id: expect.stringMatching(/^pmd_/),
              state: 'not verified for Apple Pay',
              message: 'Apple could not verify www.example.com.',
            },
            { origin: 'http://localhost:3000', state: 'not registrable', message: expect.any(String) },
            { origin: 'https://127.0.0.1:8443', state: 'not registrable', message: expect.any(String) },
            { origin: 'http://plain.example.com', state: 'not registrable', message: expect.any(String) },
            {
              origin: 'https://new.example.com',
              domain: 'new.example.com',
              state: 'not registered',
              message: 'run post-deploy',
            },
          ],
        },
      });
    } finally {
      await processor.close();
    }
  });
});
