import { spawnSync } from 'node:child_process';
import { freePort, REPO_ROOT, spawnService } from 'sandbox/src/testing/spawn';
import { loadConfig } from '../../src/config/load-config';
import { postDeploy, preUndeploy } from '../../src/deploy/post-deploy';
import { MARKER_KEY, MARKER_VALUE } from '../../src/stripe/webhook-endpoint';
import { SecretStore } from '../../src/deploy/secret-store';
import { buildDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { HANDLED_EVENTS } from '../../src/webhooks/events';
import { browserConfirm, stripeFor } from '../../testing/stripe';
import { quiesce } from '../../testing/wired';
import { call, checkout, startWorld, type World } from '../../testing/world';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(() => world?.stop());

function deployDeps(env: Record<string, string | undefined>) {
  const config = loadConfig({ ...world.env, STRIPE_WEBHOOK_SIGNING_SECRET: undefined, ...env });
  const deps = buildDeps(config, createLogger('silent'));
  return { config, sdk: deps.sdk, stripe: deps.stripe };
}

const ownEndpoints = async () =>
  (await stripeFor(world).webhookEndpoints.list({ limit: 100 })).data.filter(
    (e) => e.metadata?.[MARKER_KEY] === MARKER_VALUE,
  );

describe('post-deploy and pre-undeploy against the sandbox', () => {
  let port: number;
  let serviceUrl: string;

  beforeAll(async () => {
    port = await freePort();
    serviceUrl = `http://127.0.0.1:${port}/`; // a trailing slash, as Connect may give it
  });

  it('--dry-run changes nothing', async () => {
    const report = await postDeploy(deployDeps({ CONNECT_SERVICE_URL: serviceUrl }), { dryRun: true });
    expect(report.items.map((i) => [i.item, i.action])).toEqual([
      ['Stripe webhook endpoint', 'create'],
      ['commercetools type commercetools-checkout-card-details', 'create'],
      ['commercetools type commercetools-checkout-sepa-details', 'create'],
      ['commercetools type commercetools-checkout-payment-interface-interaction', 'create'],
    ]);
    expect(await ownEndpoints()).toEqual([]);
  });

  it('D10 D11: creates the endpoint (URL, exactly the handled events, pinned API version, marker) and the types; the processor then verifies webhooks with the stored secret', async () => {
    // A foreign endpoint and a foreign type that must be left alone.
    // (It subscribes to an event this test never causes, so that no delivery to it is pending.)
    await stripeFor(world).webhookEndpoints.create({
      url: 'https://other.example.test/hooks',
      enabled_events: ['customer.created'],
    });
    const deps = deployDeps({ CONNECT_SERVICE_URL: serviceUrl });
    await deps.sdk.ctAPI.client
      .types()
      .post({
        body: {
          key: 'merchant-own-type',
          name: { en: 'Merchant' },
          resourceTypeIds: ['payment'],
          fieldDefinitions: [],
        },
      })
      .execute();

    const report = await postDeploy(deps);
    expect(report.ok).toBe(true);
    const [endpoint, ...others] = await ownEndpoints();
    expect(others).toEqual([]);
    expect(endpoint).toMatchObject({
      url: `http://127.0.0.1:${port}/stripe/webhooks`,
      api_version: '2026-10-28.endive',
      status: 'enabled',
    });
    expect([...endpoint!.enabled_events].sort()).toEqual([...HANDLED_EVENTS].sort());
    expect((await new SecretStore(deps.sdk.ctAPI, deps.config.stripe.secretKey).read())?.endpointId).toBe(endpoint!.id);

    // The processor as Connect starts it: no STRIPE_WEBHOOK_SIGNING_SECRET.
    const env = Object.fromEntries(
      Object.entries({
        ...world.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        CONNECT_SERVICE_URL: serviceUrl,
        LOG_LEVEL: 'warn',
        PROCESSOR_EXIT_WITH_PARENT: 'true',
      }).filter(([k, v]) => v !== undefined && k !== 'STRIPE_WEBHOOK_SIGNING_SECRET'),
    ) as Record<string, string>;
    const processor = await spawnService<{ url: string }>({
      name: 'processor',
      script: 'processor/src/main.ts',
      readyPrefix: 'PROCESSOR_READY',
      env: { ...env, STRIPE_WEBHOOK_SIGNING_SECRET: '' },
    });
    try {
      const { sessionId } = await checkout(world);
      const created = await call(`${processor.info.url}/payments`, { session: sessionId, json: {} });
      await browserConfirm(world, created.body.clientSecret, 'pm_card_visa');
      await quiesce(world);
      const payment = await deps.sdk.ctAPI.payment.getPaymentById(created.body.paymentReference);
      expect(payment.transactions.map((t) => [t.type, t.state])).toEqual([
        ['Authorization', 'Success'],
        ['Charge', 'Success'],
      ]);
    } finally {
      await processor.stop();
    }
  });

  it('a second run changes nothing', async () => {
    const report = await postDeploy(deployDeps({ CONNECT_SERVICE_URL: serviceUrl }));
    expect(report.items.map((i) => i.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('D10: an endpoint with a stale URL, missing events or disabled is corrected in place', async () => {
    const [endpoint] = await ownEndpoints();
    await stripeFor(world).webhookEndpoints.update(endpoint!.id, {
      url: 'https://old.example.test/stripe/webhooks',
      enabled_events: ['charge.succeeded'],
      disabled: true,
    });
    const report = await postDeploy(deployDeps({ CONNECT_SERVICE_URL: `http://127.0.0.1:${port}` }));
    expect(report.items[0]).toMatchObject({
      action: 'update',
      id: endpoint!.id,
      changes: expect.arrayContaining([expect.stringContaining('url'), expect.stringContaining('events'), 'enable']),
    });
    const fixed = await stripeFor(world).webhookEndpoints.retrieve(endpoint!.id);
    expect(fixed).toMatchObject({ url: `http://127.0.0.1:${port}/stripe/webhooks`, status: 'enabled' });
    expect(fixed.enabled_events).toHaveLength(HANDLED_EVENTS.length);
  });

  it('D10 D23: an endpoint of the connector made without an API version (the account default) is recreated at the pinned one', async () => {
    const stripe = stripeFor(world);
    const [before] = await ownEndpoints();
    const unpinned = await stripe.webhookEndpoints.create({
      url: before!.url,
      enabled_events: [...HANDLED_EVENTS],
      metadata: before!.metadata,
    });
    await stripe.webhookEndpoints.del(before!.id);
    expect(unpinned.api_version).toBeNull();
    // Its signing secret is known (set by hand): only the API version is wrong.
    const report = await postDeploy(
      deployDeps({
        CONNECT_SERVICE_URL: `http://127.0.0.1:${port}`,
        STRIPE_WEBHOOK_SIGNING_SECRET: 'whsec_made_by_hand',
      }),
    );
    expect(report.items[0]).toMatchObject({
      action: 'recreate',
      changes: [expect.stringContaining('2026-10-28.endive')],
    });
    const endpoints = await ownEndpoints();
    expect(endpoints.map((e) => [e.id === unpinned.id, e.api_version])).toEqual([[false, '2026-10-28.endive']]);
  });

  it('D10: a failing Stripe or commercetools call exits non-zero with the reason', () => {
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(world.env).filter(([, v]) => v !== undefined)),
      CONNECT_SERVICE_URL: serviceUrl,
    } as Record<string, string>;
    const run = (extra: Record<string, string>, args: string[] = ['post-deploy']) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', `${REPO_ROOT}/processor/src/cli/deploy.ts`, ...args, '--dotenv', 'none'],
        {
          cwd: `${REPO_ROOT}/processor/test`,
          env: { ...env, ...extra },
          encoding: 'utf8',
          timeout: 60000,
        },
      );
    const stripeDown = run({ STRIPE_API_URL: 'http://127.0.0.1:9' });
    expect(stripeDown.status).toBe(1);
    expect(stripeDown.stdout).toMatch(/Stripe webhook endpoint.*FAILED/);
    const ctDown = run({ CTP_API_URL: 'http://127.0.0.1:9', CTP_AUTH_URL: 'http://127.0.0.1:9' });
    expect(ctDown.status).toBe(1);
    expect(run({}, ['post-deploy', '--bogus']).status).toBe(2);
    const ok = run({}, ['post-deploy', '--json']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, dryRun: false });
  });

  it('pre-undeploy removes what post-deploy created and nothing else', async () => {
    const deps = deployDeps({ CONNECT_SERVICE_URL: serviceUrl });
    const dry = await preUndeploy(deps, { dryRun: true });
    expect(dry.items.map((i) => i.action)).toEqual(['delete', 'delete', 'unchanged']);
    expect(await ownEndpoints()).toHaveLength(1);

    const report = await preUndeploy(deps);
    expect(report.ok).toBe(true);
    expect(await ownEndpoints()).toEqual([]);
    expect(await new SecretStore(deps.sdk.ctAPI, deps.config.stripe.secretKey).read()).toBeUndefined();
    const endpoints = (await stripeFor(world).webhookEndpoints.list({ limit: 100 })).data;
    expect(endpoints.map((e) => e.url)).toContain('https://other.example.test/hooks');
    const types = (
      await deps.sdk.ctAPI.client
        .types()
        .get({ queryArgs: { limit: 100 } })
        .execute()
    ).body.results.map((t) => t.key);
    expect(types).toEqual(
      expect.arrayContaining([
        'merchant-own-type',
        'commercetools-checkout-card-details',
        'commercetools-checkout-payment-interface-interaction',
      ]),
    );
  });
});

describe('the processor without a webhook secret', () => {
  it('D09: refuses to start when neither STRIPE_WEBHOOK_SIGNING_SECRET nor a stored secret exists', () => {
    const env = Object.fromEntries(
      Object.entries({
        PATH: process.env.PATH,
        ...world.env,
        STRIPE_WEBHOOK_SIGNING_SECRET: undefined,
        PORT: '0',
      }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    const result = spawnSync(process.execPath, ['--import', 'tsx', `${REPO_ROOT}/processor/src/main.ts`], {
      cwd: `${REPO_ROOT}/processor/test`,
      env,
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('STRIPE_WEBHOOK_SIGNING_SECRET');
  });
});
