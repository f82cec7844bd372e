import { ConfigError, loadConfig, type CaptureMethod } from '../../src/config/load-config';
import { describeKeys, type ResolvedEnv } from '../../src/config/schema';
import { validEnv } from '../../testing/env';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('leaves the webhook secret optional: post-deploy may have stored it', () => {
    expect(
      loadConfig(validEnv({ STRIPE_WEBHOOK_SIGNING_SECRET: undefined })).stripe.webhookSigningSecret,
    ).toBeUndefined();
  });

  it('returns a frozen typed config with defaults', () => {
    const config = loadConfig(validEnv());
    expect(config.stripe).toMatchObject({
      captureMethod: 'automatic',
      mode: 'test',
      layout: { type: 'tabs' },
      billingAddressCollection: 'auto',
      paymentMethodTypes: [],
    });
    expect(config.server.port).toBe(8080);
    expect(config.allowedOrigins).toEqual([]);
    expect(config.sessions).toEqual({ cacheMs: 30_000 });
    expect(config.webhooks).toEqual({ record: 'changes' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.stripe.layout)).toBe(true);
  });

  it('STRIPE_EXPRESS_WALLETS: every wallet by default, a list, or off when set empty', () => {
    expect(loadConfig(validEnv()).stripe.expressWallets).toEqual(['applePay', 'googlePay', 'link']);
    expect(loadConfig(validEnv({ STRIPE_EXPRESS_WALLETS: undefined })).stripe.expressWallets).toHaveLength(3);
    expect(loadConfig(validEnv({ STRIPE_EXPRESS_WALLETS: 'link,link' })).stripe.expressWallets).toEqual(['link']);
    expect(loadConfig(validEnv({ STRIPE_EXPRESS_WALLETS: '' })).stripe.expressWallets).toEqual([]);
    expect(loadConfig(validEnv({ STRIPE_EXPRESS_WALLETS: '  ' })).stripe.expressWallets).toEqual([]);
    expect(problemsOf(validEnv({ STRIPE_EXPRESS_WALLETS: 'applePay,paypal' }))).toEqual([
      expect.stringMatching(/^STRIPE_EXPRESS_WALLETS: .*\(got "applePay,paypal"\)$/),
    ]);
  });

  it('D09: names every missing or invalid key at once, without echoing secrets', () => {
    const problems = problemsOf({
      ...validEnv(),
      CTP_CLIENT_SECRET: undefined,
      CTP_API_URL: 'not a url',
      STRIPE_SECRET_KEY: 'xxx',
      STRIPE_WEBHOOK_SIGNING_SECRET: 'whsec',
      STRIPE_CAPTURE_METHOD: 'later',
      STRIPE_APPEARANCE: '{"theme": "dark"',
      STRIPE_LAYOUT: '{"type":"grid"}',
      ALLOWED_ORIGINS: '*,https://shop.example.com/path',
      CTP_PROJECT_KEY: 'TODO',
    });
    const text = problems.join('\n');
    for (const key of [
      'CTP_CLIENT_SECRET: is required',
      'CTP_API_URL',
      'STRIPE_SECRET_KEY: has an invalid format',
      'STRIPE_WEBHOOK_SIGNING_SECRET: has an invalid format',
      'STRIPE_CAPTURE_METHOD',
      'STRIPE_APPEARANCE: is not valid JSON',
      'STRIPE_LAYOUT',
      'ALLOWED_ORIGINS: "*"',
      'ALLOWED_ORIGINS: "https://shop.example.com/path"',
      'CTP_PROJECT_KEY',
    ]) {
      expect(text).toContain(key);
    }
    expect(text).not.toContain('xxx');
  });

  it('D09: rejects placeholders that look valid', () => {
    expect(problemsOf(validEnv({ CTP_CLIENT_ID: 'changeme' }))).toEqual([
      'CTP_CLIENT_ID: is a placeholder, set the real value',
    ]);
    expect(problemsOf(validEnv({ CTP_CLIENT_SECRET: '<your-secret>' }))).toEqual([
      'CTP_CLIENT_SECRET: is a placeholder, set the real value',
    ]);
  });

  it('D09: checks enums, JSON shapes and key consistency', () => {
    expect(problemsOf(validEnv({ STRIPE_COLLECT_BILLING_ADDRESS: 'always' }))[0]).toMatch(
      /^STRIPE_COLLECT_BILLING_ADDRESS/,
    );
    expect(problemsOf(validEnv({ STRIPE_APPEARANCE: '{"theme":"stripe","colors":1}' }))[0]).toMatch(
      /STRIPE_APPEARANCE: is not a valid Elements appearance/,
    );
    expect(problemsOf(validEnv({ STRIPE_PUBLISHABLE_KEY: 'pk_live_abcd' }))[0]).toMatch(
      /live key but STRIPE_SECRET_KEY is a test key/,
    );
    expect(
      problemsOf(
        validEnv({
          STRIPE_SECRET_KEY: 'sk_live_abcd',
          STRIPE_PUBLISHABLE_KEY: 'pk_live_abcd',
          STRIPE_API_URL: 'http://localhost:12111',
        }),
      ),
    ).toEqual(['STRIPE_API_URL: an emulator URL cannot be used with live keys']);
    expect(problemsOf(validEnv({ STRIPE_PAYMENT_METHOD_TYPES: 'card, ideal' }))[0]).toMatch(
      /^STRIPE_PAYMENT_METHOD_TYPES/,
    );
    expect(problemsOf(validEnv({ PORT: '99999' }))[0]).toMatch(/^PORT/);
    expect(problemsOf(validEnv({ SESSION_CACHE_SECONDS: '301' }))[0]).toMatch(/^SESSION_CACHE_SECONDS: at most 300/);
    expect(problemsOf(validEnv({ SESSION_CACHE_SECONDS: '-1' }))[0]).toMatch(/^SESSION_CACHE_SECONDS/);
    expect(problemsOf(validEnv({ RECORD_STRIPE_EVENTS: 'some' }))[0]).toMatch(/^RECORD_STRIPE_EVENTS/);
    expect(loadConfig(validEnv({ SESSION_CACHE_SECONDS: '0' })).sessions.cacheMs).toBe(0);
    expect(problemsOf(validEnv({ CTP_JWKS_COOLDOWN_SECONDS: '0' }))).toEqual([
      'CTP_JWKS_COOLDOWN_SECONDS: must be 1-600 (got "0")',
    ]);
    expect(problemsOf(validEnv({ CTP_JWKS_COOLDOWN_SECONDS: '601' }))[0]).toMatch(/^CTP_JWKS_COOLDOWN_SECONDS/);
    expect(loadConfig(validEnv()).commercetools.jwksCooldownMs).toBe(30_000);
  });

  it('parses JSON options, layout keywords, method types and origins', () => {
    const config = loadConfig(
      validEnv({
        STRIPE_CAPTURE_METHOD: 'manual',
        STRIPE_APPEARANCE: '{"theme":"night","variables":{"colorPrimary":"#0570de","borderRadius":"4px"}}',
        STRIPE_LAYOUT: 'accordion',
        STRIPE_PAYMENT_METHOD_TYPES: 'card,sepa_debit,card',
        ALLOWED_ORIGINS: 'https://shop.example.com, http://localhost:3000',
        STRIPE_COLLECT_BILLING_ADDRESS: 'never',
      }),
    );
    expect(config.stripe.appearance).toEqual({
      theme: 'night',
      variables: { colorPrimary: '#0570de', borderRadius: '4px' },
    });
    expect(config.stripe.layout).toEqual({ type: 'accordion' });
    expect(config.stripe.paymentMethodTypes).toEqual(['card', 'sepa_debit']);
    expect(config.allowedOrigins).toEqual(['https://shop.example.com', 'http://localhost:3000']);
    expect(config.stripe.captureMethod).toBe('manual');
    expect(config.stripe.billingAddressCollection).toBe('never');
    expect(loadConfig(validEnv({ STRIPE_LAYOUT: '{"type":"accordion","radios":true}' })).stripe.layout).toEqual({
      type: 'accordion',
      radios: true,
    });
  });

  it('describes every key with description, and marks the secrets', () => {
    const keys = describeKeys();
    expect(keys.every((k) => k.description.length > 10)).toBe(true);
    expect(
      keys
        .filter((k) => k.secret)
        .map((k) => k.key)
        .sort(),
    ).toEqual(['CTP_CLIENT_SECRET', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SIGNING_SECRET']);
  });
});

describe('configuration types come from the schema', () => {
  it('an enum key is typed as its values, a defaulted key as present', () => {
    const capture: CaptureMethod = 'manual';
    // @ts-expect-error not one of STRIPE_CAPTURE_METHOD's values
    const wrong: CaptureMethod = 'sometimes';
    const level: ResolvedEnv['LOG_LEVEL'] = 'debug';
    // @ts-expect-error LOG_LEVEL has a default: never undefined once resolved
    const missing: ResolvedEnv['LOG_LEVEL'] = undefined;
    expect([capture, wrong, level, missing]).toHaveLength(4);
  });
});
