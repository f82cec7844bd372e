import { stripeFor } from '../../testing/stripe';
import { mcToken } from '../../testing/tokens';
import { installConnectorTypes } from '../../testing/wired';
import { call, startProcessor, startWorld, type Processor, type World } from '../../testing/world';
import { endpointMetadata } from '../../src/stripe/webhook-endpoint';
import { HANDLED_EVENTS } from '../../src/webhooks/events';

let world: World;
beforeAll(async () => (world = await startWorld()));
afterAll(() => world?.stop());

async function statusOf(overrides: Record<string, string | undefined>, withTypes = true) {
  const processor: Processor = await startProcessor(world, overrides);
  try {
    if (withTypes) await installConnectorTypes(processor);
    const res = await call(`${processor.url}/operations/status`, {
      headers: { authorization: `Bearer ${await mcToken(world)}` },
    });
    return res;
  } finally {
    await processor.close();
  }
}

describe('GET /operations/status (D13)', () => {
  it('Partially Available before post-deploy made the type operations are recorded with', async () => {
    const res = await statusOf({ CONNECT_SERVICE_URL: 'https://connector.example.test' }, false);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('Partially Available');
    expect(res.body.checks.find((c: { name: string }) => c.name === 'commercetools types')).toMatchObject({
      status: 'DOWN',
      message: expect.stringContaining('run post-deploy'),
    });
  });

  it('OK when commercetools, Stripe and the webhook endpoint are right; details carry no Stripe objects or secrets', async () => {
    const serviceUrl = 'https://connector.example.test';
    // As post-deploy makes it: found by its marker, not by URL.
    await stripeFor(world).webhookEndpoints.create({
      url: `${serviceUrl}/stripe/webhooks`,
      enabled_events: [...HANDLED_EVENTS],
      api_version: '2026-10-28.endive',
      metadata: endpointMetadata('sandbox'),
    });
    const res = await statusOf({ CONNECT_SERVICE_URL: serviceUrl });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'OK',
      checks: [
        { name: 'commercetools permissions', status: 'UP' },
        { name: 'Stripe API', status: 'UP' },
        { name: 'Stripe webhook endpoint', status: 'UP' },
        { name: 'commercetools types', status: 'UP' },
        { name: 'Stripe payment method domains', status: 'UP' },
      ],
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/sk_test|whsec_|client_secret|"object":/);
  });

  it('D13: 200 Partially Available when only the webhook endpoint is not right (it points elsewhere, or is missing)', async () => {
    const elsewhere = await statusOf({ CONNECT_SERVICE_URL: 'https://nowhere.example.test' });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.status).toBe('Partially Available');
    expect(elsewhere.body.checks.find((c: { name: string }) => c.name === 'Stripe webhook endpoint')).toMatchObject({
      status: 'DOWN',
      message: expect.stringContaining('expected https://nowhere.example.test/stripe/webhooks'),
    });
    const stripe = stripeFor(world);
    for (const endpoint of (await stripe.webhookEndpoints.list({ limit: 100 })).data) {
      await stripe.webhookEndpoints.del(endpoint.id);
    }
    const missing = await statusOf({ CONNECT_SERVICE_URL: 'https://nowhere.example.test' });
    expect(missing.body.checks.find((c: { name: string }) => c.name === 'Stripe webhook endpoint')).toMatchObject({
      status: 'DOWN',
      message: expect.stringContaining('no webhook endpoint'),
    });
  });

  it('D13 D23: an endpoint without a pinned API version is reported, with what to run', async () => {
    const serviceUrl = 'https://connector.example.test';
    const stripe = stripeFor(world);
    const unpinned = await stripe.webhookEndpoints.create({
      url: `${serviceUrl}/stripe/webhooks`,
      enabled_events: [...HANDLED_EVENTS],
      metadata: endpointMetadata('sandbox'),
    });
    try {
      const res = await statusOf({ CONNECT_SERVICE_URL: serviceUrl });
      expect(res.body.checks.find((c: { name: string }) => c.name === 'Stripe webhook endpoint')).toMatchObject({
        status: 'DOWN',
        message: expect.stringMatching(/unpinned.*run post-deploy/),
      });
    } finally {
      await stripe.webhookEndpoints.del(unpinned.id);
    }
  });

  it('D13: 503 when the Stripe key is wrong', async () => {
    const res = await statusOf({ STRIPE_SECRET_KEY: 'sk_test_wrong_key_123' });
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('Unavailable');
    expect(JSON.stringify(res.body)).not.toContain('sk_test_wrong_key_123');
  });

  it('D13: 503 when Stripe does not answer', async () => {
    const res = await statusOf({ STRIPE_API_URL: 'http://127.0.0.1:9' });
    expect(res.status).toBe(503);
    expect(res.body.checks.find((c: { name: string }) => c.name === 'Stripe API').status).toBe('DOWN');
  });
});

describe('GET /operations/payment-components (D14)', () => {
  it('D14: lists the drop-in and exactly the configured components the enabler builds', async () => {
    const processor = await startProcessor(world, { STRIPE_PAYMENT_METHOD_TYPES: 'card,sepa_debit,klarna' });
    try {
      const res = await call(`${processor.url}/operations/payment-components`, {
        headers: { authorization: `Bearer ${await mcToken(world)}` },
      });
      expect(res.body).toEqual({
        dropins: [{ type: 'embedded' }],
        components: [{ type: 'card' }, { type: 'sepa_debit' }],
        // STRIPE_EXPRESS_WALLETS by default: every wallet (express-checkout.test.ts: only the configured ones).
        express: [{ type: 'applepay' }, { type: 'googlepay' }, { type: 'link' }],
      });
    } finally {
      await processor.close();
    }
  });
});
