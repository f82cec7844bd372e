import { readFileSync } from 'node:fs';
import Fastify, { type HTTPMethods } from 'fastify';
import Stripe from 'stripe';
import { generateSchema, SCHEMA_FILE, serialize } from '../../../scripts/stripe-params';
import { ENDPOINTS } from '../../../src/stripe/params/endpoints';
import { installParamChecks } from '../../../src/stripe/params/install';
import { SCHEMA, tableOf } from '../../../src/stripe/params/schema';
import { API_VERSION, EmulatorState } from '../../../src/stripe/state';
import { startEmulator, stripeError, type EmulatorHarness } from '../harness';
import { expectRefusal, raw } from './raw';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

describe('the parameter schema', () => {
  it('is what the installed stripe package declares (npm run stripe:params regenerates it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(serialize(generateSchema()));
    expect(SCHEMA).toMatchObject({ stripe: Stripe.PACKAGE_VERSION, apiVersion: API_VERSION });
  }, 60_000);

  it('names an entry for exactly the /v1 routes the emulator serves', () => {
    for (const name of Object.keys(ENDPOINTS)) {
      const [method, url] = name.split(' ') as [HTTPMethods, string];
      expect({ name, served: h.emulator.app.hasRoute({ method, url }) }).toEqual({ name, served: true });
    }
    // A /v1 route without an entry stops the emulator from being built at all.
    const app = Fastify();
    installParamChecks(app, new EmulatorState());
    expect(() => app.get('/v1/unlisted', async () => ({}))).toThrow(/GET \/v1\/unlisted has no entry/);
  });

  it('has every emulated path in its params interface', () => {
    for (const [name, spec] of Object.entries(ENDPOINTS)) {
      const table = spec.browser ? tableOf(spec.params).with(spec.browser) : tableOf(spec.params);
      for (const entry of spec.emulated) {
        const [path, values] = entry.split('=') as [string, string | undefined];
        const found = table.get(path);
        expect({ name, path, found: found !== undefined }).toEqual({ name, path, found: true });
        for (const value of values?.split('|') ?? []) expect({ name, path, value, ok: found?.values?.includes(value) }).toEqual({ name, path, value, ok: true });
      }
    }
  }); // prettier-ignore
});

describe('Stripe-Version', () => {
  const balance = (version?: string) => raw(h, 'GET', '/v1/balance', {}, version === undefined ? {} : { version });

  it('answers without the header and with the pinned version, which the SDK sends', async () => {
    expect((await balance()).status).toBe(200);
    expect((await balance(API_VERSION)).status).toBe(200);
    const pinned = new Stripe(h.emulator.secretKey, { ...hostOf(h), apiVersion: API_VERSION });
    expect(await pinned.balance.retrieve()).toMatchObject({ object: 'balance' });
  });

  it('refuses a version that does not exist with Stripe’s message', async () => {
    const answer = await balance('2099-01-01.zeta');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      type: 'invalid_request_error',
      message: 'Invalid Stripe API version: 2099-01-01.zeta',
    });
  });

  it('refuses a real version it does not emulate, saying so, rather than answering in the pinned one', async () => {
    const answer = await balance('2025-03-31.basil');
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(
      `Invalid Stripe API version: 2025-03-31.basil (a real Stripe API version the sandbox does not emulate: it answers ${API_VERSION} only)`,
    );
    const older = new Stripe(h.emulator.secretKey, {
      ...hostOf(h),
      apiVersion: '2025-03-31.basil' as Stripe.LatestApiVersion,
    });
    expect(await stripeError(older.paymentIntents.create({ amount: 1000, currency: 'eur' }))).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
    });
  });

  it('checks the key first, then the version, then the parameters', async () => {
    expect((await raw(h, 'GET', '/v1/balance', { foo: 'x' }, { key: 'sk_test_wrong', version: 'x' })).status).toBe(401);
    const answer = await raw(h, 'GET', '/v1/balance', { foo: 'x' }, { version: '2020-08-27' });
    expect(answer.body.error.message).toMatch(/^Invalid Stripe API version: 2020-08-27/);
    expectRefusal(await raw(h, 'GET', '/v1/balance', { foo: 'x' }, { version: API_VERSION }), {
      what: '',
      params: {},
      param: 'foo',
      code: 'parameter_unknown',
    });
  });
});

function hostOf(harness: EmulatorHarness) {
  const { port } = new URL(harness.url);
  return { host: '127.0.0.1', port: Number(port), protocol: 'http' as const, telemetry: false, maxNetworkRetries: 0 };
}
