/**
 * The real @commercetools/connect-payments-sdk against the sandbox over HTTP: proves that the
 * sandbox (commercetools emulation + jwt-mock) satisfies what the SDK really does.
 */
import { fastifyRequestContext, requestContext } from '@fastify/request-context';
import {
  Errorx,
  getCartIdFromContext,
  setupPaymentSDK,
  type Logger,
  type RequestContextData as SdkContext,
} from '@commercetools/connect-payments-sdk';
import Fastify, { type FastifyInstance } from 'fastify';
import { generateKeyPair, SignJWT } from 'jose';
import {
  startJwtMock,
  startSandbox,
  type JwtMockInfo,
  type SandboxUrls,
  type SpawnedService,
} from '../src/testing/spawn';
import { clientToken, http } from './commercetools/helpers';

declare module '@fastify/request-context' {
  interface RequestContextData {
    sdk?: Partial<SdkContext>;
  }
}

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const projectKey = 'sandbox';

let sandbox: SpawnedService<SandboxUrls>;
let jwtMock: SpawnedService<JwtMockInfo>;
let sdk: ReturnType<typeof setupPaymentSDK>;
let app: FastifyInstance;
let base: string;
let ct: string;

beforeAll(async () => {
  [sandbox, jwtMock] = await Promise.all([startSandbox(), startJwtMock({ CTP_PROJECT_KEY: projectKey })]);
  ct = sandbox.info.commercetools;
  sdk = setupPaymentSDK({
    apiUrl: ct,
    authUrl: ct,
    sessionUrl: sandbox.info.sessionApi,
    checkoutUrl: ct,
    jwksUrl: jwtMock.info.jwksUrl,
    jwtIssuer: jwtMock.info.issuer,
    clientId: 'connector-client',
    clientSecret: 'connector-secret',
    projectKey,
    getContextFn: () => (requestContext.get('sdk') ?? {}) as SdkContext,
    updateContextFn: (ctx) => requestContext.set('sdk', { ...(requestContext.get('sdk') ?? {}), ...ctx }),
    logger: silent,
  });

  app = Fastify();
  await app.register(fastifyRequestContext, { defaultStoreValues: () => ({ sdk: {} }) });
  // The SDK's errors carry `httpErrorStatus`; fastify would answer 500 for every one of them.
  app.setErrorHandler((error, _request, reply) => {
    const status = error instanceof Errorx ? error.httpErrorStatus : 500;
    return reply.code(status).send({ message: error instanceof Error ? error.message : 'error' });
  });
  app.get('/session', { preHandler: [sdk.sessionHeaderAuthHookFn.authenticate()] }, async () => ({
    cartId: getCartIdFromContext(requestContext.get('sdk') as SdkContext),
  }));
  app.get(
    '/operations',
    {
      preHandler: [
        sdk.oauth2AuthHookFn.authenticate(),
        sdk.authorityAuthorizationHookFn.authorize('manage_project', 'manage_checkout_payment_intents'),
      ],
    },
    async () => ({ ok: true }),
  );
  app.get('/merchant-center', { preHandler: [sdk.jwtAuthHookFn.authenticate()] }, async () => ({ ok: true }));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([sandbox?.stop(), jwtMock?.stop()]);
});

async function checkout(json: Record<string, unknown> = {}) {
  const res = await http<{ cartId: string; sessionId: string; amountPlanned: { centAmount: number } }>(
    `${ct}/_sandbox/checkout-session`,
    { json },
  );
  expect(res.status).toBe(201);
  return res.body;
}

describe('session header hook', () => {
  it('accepts a sandbox session and exposes its cart id', async () => {
    const { cartId, sessionId } = await checkout();
    const res = await http(`${base}/session`, { headers: { 'x-session-id': sessionId } });
    expect(res).toMatchObject({ status: 200, body: { cartId } });
  });

  it('rejects an unknown session with 401', async () => {
    const res = await http(`${base}/session`, { headers: { 'x-session-id': '00000000-0000-0000-0000-000000000000' } });
    expect(res.status).toBe(401);
  });

  it('rejects an expired session with 401', async () => {
    const { sessionId } = await checkout();
    await http(`${ct}/_sandbox/sessions/${sessionId}/expire`, { method: 'POST' });
    const res = await http(`${base}/session`, { headers: { 'x-session-id': sessionId } });
    expect(res.status).toBe(401);
  });
});

describe('OAuth2 hook and authority hook', () => {
  it('accept an introspected token with manage_checkout_payment_intents', async () => {
    const token = await clientToken(ct, `manage_checkout_payment_intents:${projectKey}`);
    const res = await http(`${base}/operations`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('reject a token without the authority', async () => {
    const token = await clientToken(ct, `view_orders:${projectKey}`);
    const res = await http(`${base}/operations`, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(res.status).toBe(401);
  });

  it('reject an unknown or expired token', async () => {
    const unknown = await http(`${base}/operations`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(unknown.status).toBe(401);
    const minted = await http<{ access_token: string }>(`${ct}/_sandbox/tokens`, {
      json: { scope: `manage_project:${projectKey}`, expiresIn: -1 },
    });
    const expired = await http(`${base}/operations`, {
      headers: { authorization: `Bearer ${minted.body.access_token}` },
    });
    expect(expired.status).toBe(401);
  });
});

describe('JWT hook', () => {
  async function mcToken(claims: Record<string, unknown> = {}): Promise<string> {
    const res = await http<{ token: string }>(`${jwtMock.info.url}/jwt/token`, { json: claims });
    expect(res.status).toBe(200);
    return res.body.token;
  }
  const call = (token: string) => http(`${base}/merchant-center`, { headers: { authorization: `Bearer ${token}` } });

  it('accepts a jwt-mock token', async () => {
    expect((await call(await mcToken())).status).toBe(200);
  });

  it('rejects a wrong issuer', async () => {
    const iss = 'https://evil.example';
    expect((await call(await mcToken({ iss, [`${iss}/claims/project_key`]: projectKey }))).status).toBe(401);
  });

  it('rejects a wrong project key', async () => {
    expect((await call(await mcToken({ [`${jwtMock.info.issuer}/claims/project_key`]: 'other-project' }))).status).toBe(
      401,
    );
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await call(await mcToken({ iat: now - 7200, exp: now - 3600 }))).status).toBe(401);
  });

  it('rejects a token signed with a key whose kid is not in the JWKS', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const rogue = await new SignJWT({
      iss: jwtMock.info.issuer,
      [`${jwtMock.info.issuer}/claims/project_key`]: projectKey,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'rogue-kid' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await call(rogue)).status).toBe(401);
  });
});

describe('payment, cart and order services', () => {
  it('create a payment, add it to the cart, record transactions and create an order from the cart', async () => {
    const { cartId, amountPlanned } = await checkout();
    const cart = await sdk.ctCartService.getCart({ id: cartId });
    const amount = await sdk.ctCartService.getPaymentAmount({ cart });
    expect(amount).toEqual({ centAmount: amountPlanned.centAmount, currencyCode: 'EUR', fractionDigits: 2 });

    const payment = await sdk.ctPaymentService.createPayment({
      amountPlanned: amount,
      paymentMethodInfo: { paymentInterface: 'stripe', method: 'card' },
    });
    const withPayment = await sdk.ctCartService.addPayment({
      resource: { id: cart.id, version: cart.version },
      paymentId: payment.id,
    });
    expect(withPayment.paymentInfo?.payments.map((p) => p.id)).toEqual([payment.id]);

    const authorized = await sdk.ctPaymentService.updatePayment({
      id: payment.id,
      pspReference: 'pi_sdk_1',
      transaction: { type: 'Authorization', amount, interactionId: 'pi_sdk_1', state: 'Success' },
    });
    expect(authorized.interfaceId).toBe('pi_sdk_1');
    expect(authorized.transactions).toEqual([
      expect.objectContaining({ type: 'Authorization', state: 'Success', interactionId: 'pi_sdk_1' }),
    ]);

    const found = await sdk.ctPaymentService.findPaymentsByInterfaceId({ interfaceId: 'pi_sdk_1' });
    expect(found.map((p) => p.id)).toEqual([payment.id]);
    await expect(
      sdk.ctCartService.getPaymentAmount({ cart: await sdk.ctCartService.getCart({ id: cartId }) }),
    ).rejects.toThrow(/paid in full/);

    const latest = await sdk.ctCartService.getCart({ id: cartId });
    const order = await sdk.ctAPI.client
      .orders()
      .post({
        body: {
          cart: { typeId: 'cart', id: cartId },
          version: latest.version,
          orderNumber: `sdk-${cartId.slice(0, 8)}`,
        },
      })
      .execute();
    expect(order.statusCode).toBe(201);
    expect(order.body.paymentInfo?.payments.map((p) => p.id)).toEqual([payment.id]);
    const byPayment = await sdk.ctOrderService.getOrderByPaymentId({ paymentId: payment.id });
    expect(byPayment.id).toBe(order.body.id);
    expect(byPayment.totalPrice).toEqual(
      expect.objectContaining({ centAmount: amountPlanned.centAmount, fractionDigits: 2 }),
    );
  });
});

describe('fault injection and request counters', () => {
  it('an injected 409 on a payment update makes the SDK retry, and the counters see both calls', async () => {
    const { cartId } = await checkout();
    const cart = await sdk.ctCartService.getCart({ id: cartId });
    const amount = await sdk.ctCartService.getPaymentAmount({ cart });
    const payment = await sdk.ctPaymentService.createPayment({
      amountPlanned: amount,
      paymentMethodInfo: { paymentInterface: 'stripe' },
    });

    const fault = await http(`${ct}/_sandbox/faults`, {
      json: { method: 'POST', path: `/${projectKey}/payments/${payment.id}`, status: 409, times: 1 },
    });
    expect(fault.status).toBe(201);
    await http(`${ct}/_sandbox/counters`, { method: 'DELETE' });

    const updated = await sdk.ctPaymentService.updatePayment({
      id: payment.id,
      transaction: { type: 'Authorization', amount, interactionId: 'pi_retry', state: 'Pending' },
    });
    expect(updated.transactions).toHaveLength(1);

    const counters = await http<{ byRoute: Record<string, { count: number; statuses: Record<string, number> }> }>(
      `${ct}/_sandbox/counters`,
    );
    expect(counters.body.byRoute['POST /:projectKey/payments/:id']).toEqual({
      count: 2,
      statuses: { '409': 1, '200': 1 },
    });
    expect(counters.body.byRoute['GET /:projectKey/payments/:id']?.count).toBeGreaterThanOrEqual(1);
    expect((await http<{ faults: unknown[] }>(`${ct}/_sandbox/faults`)).body.faults).toEqual([]);
  });

  it('a single injected 503 is absorbed by the client retry; a lasting one surfaces as an error', async () => {
    const { cartId } = await checkout();
    const path = `/${projectKey}/carts/${cartId}`;
    await http(`${ct}/_sandbox/faults`, { json: { method: 'GET', path, status: 503, times: 1 } });
    await expect(sdk.ctCartService.getCart({ id: cartId })).resolves.toMatchObject({ id: cartId });

    await http(`${ct}/_sandbox/faults`, { json: { method: 'GET', path, status: 503, times: 50 } });
    await expect(sdk.ctCartService.getCart({ id: cartId })).rejects.toBeDefined();
    await http(`${ct}/_sandbox/faults`, { method: 'DELETE' });
    await expect(sdk.ctCartService.getCart({ id: cartId })).resolves.toMatchObject({ id: cartId });
  });

  it('a delay fault holds the request, and a drop fault cuts the connection', async () => {
    const { cartId } = await checkout();
    const { access_token } = await clientToken(ct);
    const url = `${ct}/${projectKey}/carts/${cartId}`;
    await http(`${ct}/_sandbox/faults`, { json: { method: 'GET', path: `/${projectKey}/carts/*`, delayMs: 300 } });
    const started = Date.now();
    const delayed = await http(url, { headers: { authorization: `Bearer ${access_token}` } });
    expect(delayed.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    await http(`${ct}/_sandbox/faults`, { json: { method: 'GET', path: `/${projectKey}/carts/**`, drop: true } });
    await expect(fetch(url, { headers: { authorization: `Bearer ${access_token}` } })).rejects.toThrow();
    expect((await http(url, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
  });

  it('rejects an invalid fault with 400 and lists nothing new', async () => {
    const res = await http<{ message: string }>(`${ct}/_sandbox/faults`, {
      json: { method: 'GET', path: 'no-slash', times: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/path/);
    expect(res.body.message).toMatch(/times/);
  });
});

describe('saved payment methods and recurring payment jobs through the SDK', () => {
  it('saves, finds, updates and deletes a customer payment method; a second save of the token is refused', async () => {
    const { customerId } = (await checkout({ recurring: true, email: `sdk-pm-${Date.now()}@example.com` })) as {
      customerId?: string;
    };
    const owner = customerId!;
    const token = `pm_sdk_${Date.now()}`;
    const saved = await sdk.ctPaymentMethodService.save({
      customerId: owner,
      token,
      paymentInterface: 'stripe',
      method: 'card',
    });
    expect(saved).toMatchObject({ customer: { id: owner }, token: { value: token }, paymentMethodStatus: 'Active' });
    await expect(
      sdk.ctPaymentMethodService.save({ customerId: owner, token, paymentInterface: 'stripe', method: 'card' }),
    ).rejects.toBeInstanceOf(Errorx);
    const found = await sdk.ctPaymentMethodService.find({ customerId: owner, paymentInterface: 'stripe' });
    expect(found.results.map((pm) => pm.id)).toEqual([saved.id]);
    expect(
      await sdk.ctPaymentMethodService.getByTokenValue({
        customerId: owner,
        paymentInterface: 'stripe',
        tokenValue: token,
      }),
    ).toMatchObject({ id: saved.id });
    const updated = await sdk.ctPaymentMethodService.update({
      customerId: owner,
      resource: { id: saved.id, version: saved.version },
      actions: [{ action: 'setDefault', default: true }],
    });
    expect(updated).toMatchObject({ default: true, version: 2 });
    await expect(
      sdk.ctPaymentMethodService.delete({ customerId: 'someone-else', id: saved.id, version: 2 }),
    ).rejects.toBeInstanceOf(Errorx);
    await sdk.ctPaymentMethodService.delete({ customerId: owner, id: saved.id, version: 2 });
    expect(
      await sdk.ctPaymentMethodService.doesTokenBelongsToCustomer({
        customerId: owner,
        paymentInterface: 'stripe',
        tokenValue: token,
      }),
    ).toBe(false);
  });

  it('creates a recurring payment job for a recurring cart only', async () => {
    const run = async (recurring: boolean) => {
      const { cartId, customerId } = (await checkout({
        recurring,
        email: `sdk-job-${recurring}-${Date.now()}@example.com`,
      })) as { cartId: string; customerId?: string };
      const cart = await sdk.ctCartService.getCart({ id: cartId });
      const payment = await sdk.ctPaymentService.createPayment({
        amountPlanned: { centAmount: 1000, currencyCode: 'EUR' },
        paymentMethodInfo: { paymentInterface: 'stripe' },
      });
      await sdk.ctCartService.addPayment({
        resource: { id: cart.id, version: cart.version },
        paymentId: payment.id,
      });
      const pm = await sdk.ctPaymentMethodService.save({
        customerId:
          customerId ??
          (await http<any>(`${ct}/_sandbox/checkout-session`, { json: { recurring: true } })).body.customerId,
        token: `pm_job_${recurring}_${Date.now()}`,
        paymentInterface: 'stripe',
        method: 'card',
      });
      return sdk.ctRecurringPaymentJobService.createRecurringPaymentJobIfApplicable({
        originPayment: { id: payment.id, typeId: 'payment' },
        paymentMethod: { id: pm.id, typeId: 'payment-method' },
      });
    };
    const job = await run(true);
    expect(job).toMatchObject({ id: expect.any(String), version: 1, status: { state: 'Initial' } });
    expect(await run(false)).toBeNull();
    const { access_token } = await clientToken(ct);
    const listed = await http<any>(`${ct}/${projectKey}/recurring-payment-jobs/${job!.id}`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(listed.body).toEqual(job);
  });
});
