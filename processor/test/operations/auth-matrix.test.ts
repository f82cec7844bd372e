import { mcToken, oauthToken, rogueToken } from '../../testing/tokens';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;
const creds: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  world = await startWorld();
  processor = await startProcessor(world, { CONNECT_SERVICE_URL: 'http://127.0.0.1:1' });
  const iss = world.jwt.info.issuer;
  const now = Math.floor(Date.now() / 1000);
  const { sessionId } = await checkout(world);
  const expired = await checkout(world);
  await call(`${world.sandbox.info.commercetools}/_sandbox/sessions/${expired.sessionId}/expire`, { method: 'POST' });
  creds['no credentials'] = {};
  creds['malformed authorization header'] = { authorization: 'Token abc' };
  creds['valid session'] = { 'x-session-id': sessionId };
  creds['unknown session'] = { 'x-session-id': '11111111-1111-1111-1111-111111111111' };
  creds['expired session'] = { 'x-session-id': expired.sessionId };
  creds['inactive OAuth2 token'] = { authorization: `Bearer ${await oauthToken(world, 'manage_project:sandbox', -5)}` };
  creds['OAuth2 token without the scope'] = {
    authorization: `Bearer ${await oauthToken(world, 'view_orders:sandbox')}`,
  };
  creds['OAuth2 token with manage_checkout_payment_intents'] = {
    authorization: `Bearer ${await oauthToken(world, 'manage_checkout_payment_intents:sandbox')}`,
  };
  creds['OAuth2 token with manage_checkout_transactions'] = {
    authorization: `Bearer ${await oauthToken(world, 'manage_checkout_transactions:sandbox')}`,
  };
  creds['OAuth2 token with manage_project'] = {
    authorization: `Bearer ${await oauthToken(world, 'manage_project:sandbox')}`,
  };
  // The payments SDK drops the project suffix of scopes: another project's token must still fail.
  creds["another project's token with manage_project"] = {
    authorization: `Bearer ${await oauthToken(world, 'manage_project:other view_orders:sandbox')}`,
  };
  creds["another project's token with manage_checkout_payment_intents"] = {
    authorization: `Bearer ${await oauthToken(world, 'manage_checkout_payment_intents:other')}`,
  };
  creds['JWT with wrong issuer'] = {
    authorization: `Bearer ${await mcToken(world, { iss: 'https://evil.test', 'https://evil.test/claims/project_key': 'sandbox' })}`,
  };
  creds['JWT with wrong project key'] = {
    authorization: `Bearer ${await mcToken(world, { [`${iss}/claims/project_key`]: 'other' })}`,
  };
  creds['JWT with unknown kid'] = { authorization: `Bearer ${await rogueToken(world)}` };
  creds['expired JWT'] = { authorization: `Bearer ${await mcToken(world, { iat: now - 7200, exp: now - 3600 })}` };
  creds['valid JWT'] = { authorization: `Bearer ${await mcToken(world)}` };
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

type Route = { method: string; path: string; json?: unknown; accepts: string[] };
const missingPayment = '00000000-0000-0000-0000-000000000000';
const routes: Route[] = [
  { method: 'GET', path: '/operations/config', accepts: ['valid session'] },
  { method: 'GET', path: '/config-element/payment', accepts: ['valid session'] },
  { method: 'GET', path: '/express-config', accepts: ['valid session'] },
  { method: 'POST', path: '/payments', json: {}, accepts: ['valid session'] },
  { method: 'POST', path: `/confirmPayments/${missingPayment}`, json: {}, accepts: ['valid session'] },
  { method: 'GET', path: '/operations/status', accepts: ['valid JWT'] },
  { method: 'GET', path: '/operations/payment-components', accepts: ['valid JWT'] },
  {
    method: 'POST',
    path: `/operations/payment-intents/${missingPayment}`,
    json: { actions: [{ action: 'cancelPayment' }] },
    accepts: ['OAuth2 token with manage_checkout_payment_intents', 'OAuth2 token with manage_project'],
  },
  {
    method: 'POST',
    path: '/operations/transactions',
    json: {
      cartId: missingPayment,
      paymentInterface: 'stripe',
      checkoutTransactionItemId: missingPayment,
      paymentMethod: { id: missingPayment },
    },
    accepts: ['OAuth2 token with manage_checkout_transactions', 'OAuth2 token with manage_project'],
  },
];

const cases = routes.flatMap((route) =>
  [
    'no credentials',
    'malformed authorization header',
    'valid session',
    'unknown session',
    'expired session',
    'inactive OAuth2 token',
    'OAuth2 token without the scope',
    'OAuth2 token with manage_checkout_payment_intents',
    'OAuth2 token with manage_checkout_transactions',
    'OAuth2 token with manage_project',
    "another project's token with manage_project",
    "another project's token with manage_checkout_payment_intents",
    'JWT with wrong issuer',
    'JWT with wrong project key',
    'JWT with unknown kid',
    'expired JWT',
    'valid JWT',
  ].map((credential) => [route.method, route.path, credential, route] as const),
);

it.each(cases)('%s %s with %s', async (method, path, credential, route) => {
  const res = await call(`${processor.url}${path}`, {
    method,
    headers: creds[credential]!,
    ...(route.json ? { json: route.json } : {}),
  });
  if (route.accepts.includes(credential)) {
    // Authenticated: whatever the route answers next, never an auth failure.
    expect([401, 403]).not.toContain(res.status);
  } else {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      statusCode: 401,
      message: expect.any(String),
      errors: [expect.objectContaining({ code: expect.any(String), message: expect.any(String) })],
    });
  }
});
