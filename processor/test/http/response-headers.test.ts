import { rawRequest, type RawRequest } from '../bad-input/raw-http';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;
let session: string;

beforeAll(async () => {
  world = await startWorld();
  processor = await startProcessor(world, {
    ALLOWED_ORIGINS: 'https://shop.example.com',
    STRIPE_APPLE_PAY_DOMAIN_ASSOCIATION: 'apple-association-content',
  });
  ({ sessionId: session } = await checkout(world));
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

describe('Cache-Control', () => {
  it('POST /payments, whose answer holds the client secret, is never stored', async () => {
    const { sessionId } = await checkout(world);
    const res = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
    expect(res.status).toBe(200);
    expect(res.body.clientSecret).toEqual(expect.stringContaining('_secret_'));
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('no API answer is stored, refusals included', async () => {
    for (const res of [
      await call(`${processor.url}/operations/config`, { session }),
      await call(`${processor.url}/payments`, { json: {} }),
      await call(`${processor.url}/payments`, { session, raw: '{' }),
    ]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('the Apple Pay domain association file keeps its public caching', async () => {
    const res = await fetch(`${processor.url}/.well-known/apple-developer-merchantid-domain-association`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
  });
});

describe('X-Content-Type-Options: nosniff on every response', () => {
  const json = (method: string, path: string, body?: unknown, headers: [string, string][] = []): RawRequest => ({
    method,
    path,
    headers: [
      ...(body === undefined ? [] : ([['content-type', 'application/json']] as [string, string][])),
      ...headers,
    ],
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const withSession = (): [string, string][] => [['x-session-id', session]];
  const cases: [string, () => RawRequest, number][] = [
    ['a checkout answer', () => json('GET', '/operations/config', undefined, withSession()), 200],
    ['POST /payments', () => json('POST', '/payments', {}, withSession()), 200],
    ['a missing session', () => json('POST', '/payments', {}), 401],
    ['a missing Merchant Center token', () => json('GET', '/operations/status'), 401],
    ['a missing OAuth2 token', () => json('POST', '/operations/payment-intents/abc', { actions: [] }), 401],
    ['invalid JSON', () => ({ ...json('POST', '/payments', {}, withSession()), body: '{' }), 400],
    ['an unknown route', () => json('GET', '/nope'), 404],
    ['the Apple Pay file', () => json('GET', '/applePayConfig'), 200],
    ['the OpenAPI document', () => json('GET', '/openapi.json'), 200],
    ['a webhook without a signature', () => json('POST', '/stripe/webhooks', { id: 'evt_1' }), 400],
    [
      'a webhook with a bad signature',
      () => json('POST', '/stripe/webhooks', { id: 'evt_1' }, [['stripe-signature', 't=1,v1=00']]),
      400,
    ],
    ['a path the router refuses', () => json('GET', '/config-element/%E0%A4%A'), 400],
    ['headers too large for the parser', () => json('GET', '/nope', undefined, [['x-big', 'a'.repeat(20_000)]]), 431],
    [
      'a CORS preflight',
      () =>
        json('OPTIONS', '/payments', undefined, [
          ['origin', 'https://shop.example.com'],
          ['access-control-request-method', 'POST'],
        ]),
      204,
    ],
  ];

  it.each(cases)('%s', async (_name, request, status) => {
    const res = await rawRequest(processor.url, request());
    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
