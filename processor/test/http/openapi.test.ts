import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { buildDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { validEnv } from '../../testing/env';

/** The document as GET /openapi.json serves it; building it calls nothing upstream. */
async function openapiOf(env: Record<string, string> = {}): Promise<any> {
  const app = await buildApp(buildDeps(loadConfig(validEnv(env)), createLogger('silent')));
  try {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    return res.json();
  } finally {
    await app.close();
  }
}

let doc: any;
beforeAll(async () => (doc = await openapiOf({ CONNECT_SERVICE_URL: 'https://processor.example.com' })));

it('declares how each kind of caller authenticates', () => {
  const described = { description: expect.any(String) };
  expect(doc.components.securitySchemes).toEqual({
    session: { type: 'apiKey', in: 'header', name: 'x-session-id', ...described },
    merchantCenter: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', ...described },
    oauth2: {
      type: 'oauth2',
      ...described,
      flows: {
        clientCredentials: {
          tokenUrl: 'http://127.0.0.1:8081/oauth/token',
          scopes: {
            'manage_project:sandbox': expect.any(String),
            'manage_checkout_payment_intents:sandbox': expect.any(String),
            'manage_checkout_transactions:sandbox': expect.any(String),
          },
        },
      },
    },
    stripeSignature: { type: 'apiKey', in: 'header', name: 'stripe-signature', ...described },
  });
});

it.each([
  ['get', '/operations/config', [{ session: [] }]],
  ['get', '/config-element/{paymentComponent}', [{ session: [] }]],
  ['get', '/express-config', [{ session: [] }]],
  ['post', '/payments', [{ session: [] }]],
  ['post', '/confirmPayments/{paymentReference}', [{ session: [] }]],
  ['get', '/operations/status', [{ merchantCenter: [] }]],
  ['get', '/operations/payment-components', [{ merchantCenter: [] }]],
  [
    'post',
    '/operations/payment-intents/{paymentId}',
    [{ oauth2: ['manage_project:sandbox'] }, { oauth2: ['manage_checkout_payment_intents:sandbox'] }],
  ],
  [
    'post',
    '/operations/transactions',
    [{ oauth2: ['manage_project:sandbox'] }, { oauth2: ['manage_checkout_transactions:sandbox'] }],
  ],
  ['post', '/stripe/webhooks', [{ stripeSignature: [] }]],
  ['get', '/applePayConfig', []],
  ['get', '/.well-known/apple-developer-merchantid-domain-association', []],
  ['get', '/health', []],
])('%s %s declares its security', (method, path, security) => {
  expect(doc.paths[path][method].security).toEqual(security);
});

it('names the server from CONNECT_SERVICE_URL, and none without it', async () => {
  expect(doc.servers).toEqual([{ url: 'https://processor.example.com' }]);
  expect((await openapiOf()).servers).toBeUndefined();
});

const errorSchema = expect.objectContaining({
  type: 'object',
  required: expect.arrayContaining(['statusCode', 'message', 'errors']),
});

it("documents the webhook route's answers: 200, 400 for a bad signature or body, 5xx to be retried", () => {
  const { responses } = doc.paths['/stripe/webhooks'].post;
  expect(Object.keys(responses).sort()).toEqual(['200', '400', '5XX']);
  expect(responses['400'].content['application/json'].schema).toEqual(errorSchema);
  expect(responses['5XX'].content['application/json'].schema).toEqual(errorSchema);
});

it.each(['/applePayConfig', '/.well-known/apple-developer-merchantid-domain-association'])(
  'documents the 404 of %s when Apple Pay is not configured',
  (path) => {
    const { responses } = doc.paths[path].get;
    expect(Object.keys(responses).sort()).toEqual(['200', '404']);
    expect(responses['200'].content['text/plain'].schema).toEqual({ type: 'string' });
    expect(responses['404'].content['application/json'].schema).toEqual(errorSchema);
  },
);

it('GET /health answers without credentials and asks no upstream', async () => {
  const app = await buildApp(buildDeps(loadConfig(validEnv()), createLogger('silent')));
  try {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  } finally {
    await app.close();
  }
});
