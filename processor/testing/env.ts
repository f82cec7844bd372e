/** A complete, valid processor environment for tests; override what a test is about. */
export function validEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    CTP_PROJECT_KEY: 'sandbox',
    CTP_CLIENT_ID: 'connector-client',
    CTP_CLIENT_SECRET: 'connector-client-secret-value',
    CTP_AUTH_URL: 'http://127.0.0.1:8081',
    CTP_API_URL: 'http://127.0.0.1:8081',
    CTP_SESSION_URL: 'http://127.0.0.1:8081/session-api',
    CTP_CHECKOUT_URL: 'http://127.0.0.1:8081',
    CTP_JWKS_URL: 'http://127.0.0.1:9000/jwt/.well-known/jwks.json',
    CTP_JWT_ISSUER: 'https://mc-api.europe-west1.gcp.commercetools.com',
    STRIPE_SECRET_KEY: 'sk_test_sandbox',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_sandbox',
    STRIPE_WEBHOOK_SIGNING_SECRET: 'whsec_sandbox_signing_secret',
    MERCHANT_RETURN_URL: 'http://localhost:3000/return',
    ...overrides,
  };
}
