import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;

beforeAll(async () => {
  world = await startWorld();
  processor = await startProcessor(world, {
    ALLOWED_ORIGINS: 'https://shop.example.com',
    STRIPE_APPEARANCE: '{"theme":"night","variables":{"colorPrimary":"#ff0000"}}',
    STRIPE_LAYOUT: '{"type":"accordion","radios":true}',
    STRIPE_COLLECT_BILLING_ADDRESS: 'never',
    STRIPE_CAPTURE_METHOD: 'manual',
  });
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

const expectCtError = (body: any, statusCode: number, code?: string) => {
  expect(body).toEqual({
    statusCode,
    message: expect.any(String),
    errors: [expect.objectContaining({ code: code ?? expect.any(String), message: expect.any(String) })],
  });
};

describe('session authentication of browser routes (D12)', () => {
  // Every row has three cells: jest reads a third parameter the row lacks as a `done` callback.
  const routes: [string, string, unknown][] = [
    ['GET', '/operations/config', undefined],
    ['GET', '/config-element/payment', undefined],
    ['GET', '/express-config', undefined],
    ['POST', '/payments', {}],
    ['POST', '/confirmPayments/00000000-0000-0000-0000-000000000000', {}],
  ];

  it.each(routes)(
    '%s %s without a session answers 401 in the commercetools error shape',
    async (method, path, json) => {
      const res = await call(`${processor.url}${path}`, { method, ...(json ? { json } : {}) });
      expect(res.status).toBe(401);
      expectCtError(res.body, 401, 'invalid_token');
    },
  );

  it.each(routes)('%s %s with an unknown session answers 401', async (method, path, json) => {
    const res = await call(`${processor.url}${path}`, {
      method,
      session: '11111111-2222-3333-4444-555555555555',
      ...(json ? { json } : {}),
    });
    expect(res.status).toBe(401);
    expectCtError(res.body, 401);
  });

  it('an expired session answers 401', async () => {
    const { sessionId } = await checkout(world);
    // Verified sessions are trusted for SESSION_CACHE_SECONDS: expire it before its first use
    // (session-cache.test.ts covers one expiring while cached).
    await call(`${world.sandbox.info.commercetools}/_sandbox/sessions/${sessionId}/expire`, { method: 'POST' });
    const res = await call(`${processor.url}/operations/config`, { session: sessionId });
    expect(res.status).toBe(401);
    expectCtError(res.body, 401);
  });
});

describe('request logs', () => {
  it('one line per request, when it completes: method, path, status and time, never the session', async () => {
    const { sessionId } = await checkout(world);
    processor.logs.length = 0;
    expect((await call(`${processor.url}/operations/config?probe=1`, { session: sessionId })).status).toBe(200);
    const lines = processor.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/operations/config',
        statusCode: 200,
        responseTimeMs: expect.any(Number),
      }),
    ]);
    expect(processor.logs.join('\n')).not.toContain(sessionId);
  });

  const reqIdLogged = async (requestId: string) => {
    processor.logs.length = 0;
    await call(`${processor.url}/openapi.json`, { headers: { 'x-request-id': requestId } });
    const lines = processor.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    return lines.find((l) => l.msg === 'request completed')?.reqId;
  };

  it('takes a well-formed x-request-id as the request id of its log lines', async () => {
    expect(await reqIdLogged('shop-Req_42.a')).toBe('shop-Req_42.a');
  });

  it.each([
    ['too long', 'r'.repeat(65)],
    ['with a space', 'a b'],
    ['made of JSON', '{"level":60,"msg":"forged"}'],
    ['with markup', '"><script>'],
    ['with a latin-1 letter', 'caf\u00e9'],
  ])('gives a request whose x-request-id is %s a fresh id', async (_name, requestId) => {
    const first = await reqIdLogged(requestId);
    const second = await reqIdLogged(requestId);
    expect(first).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(first).not.toBe(requestId);
    expect(second).not.toBe(first);
  });
});

describe('GET /operations/config', () => {
  it('answers the publishable key and environment, and nothing secret', async () => {
    const { sessionId } = await checkout(world);
    const res = await call(`${processor.url}/operations/config`, { session: sessionId });
    expect(res).toMatchObject({
      status: 200,
      body: { publishableKey: 'pk_test_sandbox', environment: 'test', storedPaymentMethodsEnabled: false },
    });
    expect(Object.keys(res.body).sort()).toEqual(['environment', 'publishableKey', 'storedPaymentMethodsEnabled']);
    expect(JSON.stringify(res.body)).not.toMatch(/sk_test|whsec|secret/);
  });
});

describe('GET /config-element/:paymentComponent', () => {
  it('D20 D21: answers the amount to pay and every Element option the processor is configured with', async () => {
    const { sessionId } = await checkout(world, { quantity: 2 });
    const res = await call(`${processor.url}/config-element/payment`, { session: sessionId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      cartInfo: { amount: 2 * 2500 + 499, currency: 'eur' },
      captureMethod: 'manual',
      appearance: { theme: 'night', variables: { colorPrimary: '#ff0000' } },
      layout: { type: 'accordion', radios: true },
      collectBillingAddress: 'never',
      merchantReturnUrl: 'http://localhost:3000/return',
    });
  });

  it("uses Stripe's minor unit for zero-decimal currencies", async () => {
    const { sessionId } = await checkout(world, { currency: 'JPY' });
    const res = await call(`${processor.url}/config-element/payment`, { session: sessionId });
    expect(res.body.cartInfo).toEqual({ amount: 3600, currency: 'jpy' });
  });

  it('prefers the merchant return URL of the session', async () => {
    const { sessionId } = await checkout(world, { metadata: { merchantReturnUrl: 'https://shop.example.com/back' } });
    const res = await call(`${processor.url}/config-element/payment`, { session: sessionId });
    expect(res.body.merchantReturnUrl).toBe('https://shop.example.com/back');
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', '/back'],
    ['a protocol-relative URL', '//evil.example.com/back'],
    ['an ftp: URL', 'ftp://shop.example.com/back'],
    ['a URL with a space', 'https://shop.example.com/a b'],
    ['a number', 42],
  ])("uses MERCHANT_RETURN_URL when the session's return URL is %s", async (_name, merchantReturnUrl) => {
    const { sessionId } = await checkout(world, { metadata: { merchantReturnUrl } });
    processor.logs.length = 0;
    const res = await call(`${processor.url}/config-element/payment`, { session: sessionId });
    expect(res.status).toBe(200);
    expect(res.body.merchantReturnUrl).toBe('http://localhost:3000/return');
    expect(processor.logs.join('\n')).toContain('not an absolute http(s) URL');
  });

  it("POST /payments answers MERCHANT_RETURN_URL too when the session's return URL is not http(s)", async () => {
    const { sessionId } = await checkout(world, { metadata: { merchantReturnUrl: 'javascript:alert(1)' } });
    const res = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
    expect(res.status).toBe(200);
    expect(res.body.merchantReturnUrl).toBe('http://localhost:3000/return');
  });

  it('rejects a component that is not a payment method type with 400', async () => {
    const { sessionId } = await checkout(world);
    const res = await call(`${processor.url}/config-element/Not-A-Type`, { session: sessionId });
    expect(res.status).toBe(400);
    expectCtError(res.body, 400, 'InvalidInput');
  });
});

describe('CORS (D12)', () => {
  it('allows the configured origin and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${processor.url}/payments`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-session-id',
        },
      });
    const allowed = await preflight('https://shop.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-session-id/);
    const denied = await preflight('https://evil.example.com');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS header at all when no origin is configured', async () => {
    const sameOriginOnly = await startProcessor(world, { ALLOWED_ORIGINS: undefined });
    try {
      const res = await fetch(`${sameOriginOnly.url}/operations/config`, {
        headers: { origin: 'https://shop.example.com' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await sameOriginOnly.close();
    }
  });
});

describe('malformed requests answer 4xx in the commercetools shape, never 500', () => {
  let session: string;
  beforeAll(async () => ({ sessionId: session } = await checkout(world)));

  it.each([
    ['invalid JSON', { raw: '{"paymentComponent":' }, 400],
    ['a JSON array', { raw: '[1,2]' }, 400],
    ['an extra field', { json: { paymentComponent: 'payment', amount: 1 } }, 400],
    ['a wrong type', { json: { paymentComponent: 42 } }, 400],
    [
      'a wrong content type',
      { raw: 'paymentComponent=payment', contentType: 'application/x-www-form-urlencoded' },
      415,
    ],
    ['a huge body', { raw: JSON.stringify({ paymentComponent: 'x'.repeat(200_000) }) }, 413],
  ])('POST /payments with %s', async (_name, init, status) => {
    const res = await call(`${processor.url}/payments`, { session, ...init });
    expect(res.status).toBe(status);
    expectCtError(res.body, status);
  });

  it('an unknown route answers 404 in the commercetools shape', async () => {
    const res = await call(`${processor.url}/nope`);
    expect(res.status).toBe(404);
    expectCtError(res.body, 404, 'ResourceNotFound');
  });

  it('a malformed payment reference answers 400', async () => {
    const res = await call(`${processor.url}/confirmPayments/..%2F..%2Fetc`, { session, json: {} });
    expect(res.status).toBe(400);
  });
});

describe('OpenAPI and Apple Pay', () => {
  it('serves the OpenAPI document of every route', async () => {
    const res = await call(`${processor.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/operations/config',
        '/config-element/{paymentComponent}',
        '/payments',
        '/confirmPayments/{paymentReference}',
      ]),
    );
  });

  it('answers 404 for the Apple Pay domain association when not configured, and serves it when configured', async () => {
    expect((await call(`${processor.url}/.well-known/apple-developer-merchantid-domain-association`)).status).toBe(404);
    const withApplePay = await startProcessor(world, {
      STRIPE_APPLE_PAY_DOMAIN_ASSOCIATION: 'apple-association-content',
    });
    try {
      for (const path of ['/.well-known/apple-developer-merchantid-domain-association', '/applePayConfig']) {
        const res = await fetch(`${withApplePay.url}${path}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('apple-association-content');
      }
    } finally {
      await withApplePay.close();
    }
  });
});
