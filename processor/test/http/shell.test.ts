import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { buildDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { validEnv } from '../../testing/env';

/**
 * The HTTP shell in process (`buildApp` + `inject`): authentication refusals, request validation
 * and the error shape, all decided before any upstream is asked. Upstreams point at a closed port,
 * so a route that reached one would answer 5xx and fail these tests. What crosses a boundary is
 * tested against the sandbox elsewhere.
 */
let app: FastifyInstance;
beforeAll(async () => {
  const closed = 'http://127.0.0.1:9';
  const env = validEnv({
    CTP_AUTH_URL: closed,
    CTP_API_URL: closed,
    CTP_SESSION_URL: closed,
    CTP_JWKS_URL: `${closed}/jwks.json`,
    STRIPE_API_URL: closed,
    STRIPE_WEBHOOK_SIGNING_SECRET: 'whsec_in_process_secret',
  });
  app = await buildApp(buildDeps(loadConfig(env), createLogger('silent')));
});
afterAll(() => app?.close());

const ctError = (statusCode: number, code: string) => ({
  statusCode,
  message: expect.any(String),
  errors: [expect.objectContaining({ code, message: expect.any(String) })],
});

describe('the HTTP shell, in process', () => {
  it.each([
    ['GET', '/operations/config'],
    ['POST', '/payments'],
    ['POST', '/confirmPayments/00000000-0000-0000-0000-000000000000'],
  ])('%s %s without a session: 401 in the commercetools error shape', async (method, url) => {
    const res = await app.inject({
      method: method as 'GET' | 'POST',
      url,
      ...(method === 'POST' ? { payload: {} } : {}),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(ctError(401, expect.any(String)));
  });

  it.each([
    ['GET', '/operations/status'],
    ['GET', '/operations/payment-components'],
    ['POST', '/operations/payment-intents/00000000-0000-0000-0000-000000000000'],
  ])('%s %s without a token: 401 with WWW-Authenticate', async (method, url) => {
    const res = await app.inject({
      method: method as 'GET' | 'POST',
      url,
      ...(method === 'POST' ? { payload: {} } : {}),
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({
      statusCode: 401,
      errors: [expect.objectContaining({ code: expect.any(String) })],
    });
  });

  it('an unknown route: 404 in the commercetools shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(ctError(404, 'ResourceNotFound'));
    expect(res.json().message).toBe('Route GET /nowhere not found.');
  });

  it('a webhook without a signature: 400 InvalidSignature, nothing asked upstream', async () => {
    const res = await app.inject({ method: 'POST', url: '/stripe/webhooks', payload: '{}' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(ctError(400, 'InvalidSignature'));
  });

  it('a webhook with a wrong signature: 400 InvalidSignature', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/stripe/webhooks',
      payload: '{}',
      headers: { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(ctError(400, 'InvalidSignature'));
  });

  it('every answer carries nosniff and no-store', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
