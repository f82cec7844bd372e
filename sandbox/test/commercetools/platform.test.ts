import { startSandbox, type SandboxUrls, type SpawnedService } from '../../src/testing/spawn';
import { basic, clientToken, http } from './helpers';

let sandbox: SpawnedService<SandboxUrls>;
let ct: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  ct = sandbox.info.commercetools;
});
afterAll(() => sandbox?.stop());

describe('OAuth2 token and introspection', () => {
  it('defaults the client-credentials scope to manage_project of the sandbox project', async () => {
    const token = await clientToken(ct);
    expect(token.scope).toBe('manage_project:sandbox');
  });

  it('takes the scope from the form body, as the commercetools clients send it', async () => {
    const token = await clientToken(ct, 'manage_checkout_payment_intents:sandbox');
    expect(token.scope).toBe('manage_checkout_payment_intents:sandbox');
  });

  it('introspects an issued token as active with scope, client and expiry', async () => {
    const token = await clientToken(ct, 'view_orders:sandbox manage_payments:sandbox');
    const res = await http(`${ct}/oauth/introspect`, {
      headers: { authorization: basic('connector', 'secret') },
      form: { token: token.access_token },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      active: true,
      scope: 'view_orders:sandbox manage_payments:sandbox',
      client_id: 'test-client',
      exp: expect.any(Number),
    });
    expect(res.body.exp as number).toBeGreaterThan(Date.now());
  });

  it('introspects unknown and expired tokens as inactive, and the API refuses an expired token', async () => {
    const unknown = await http(`${ct}/oauth/introspect`, {
      headers: { authorization: basic('c', 's') },
      form: { token: 'nope' },
    });
    expect(unknown.body).toEqual({ active: false });

    const minted = await http<{ access_token: string }>(`${ct}/_sandbox/tokens`, { json: { expiresIn: -10 } });
    expect(minted.status).toBe(201);
    const expired = await http(`${ct}/oauth/introspect`, {
      headers: { authorization: basic('c', 's') },
      form: { token: minted.body.access_token },
    });
    expect(expired.body).toEqual({ active: false });
    const api = await http(`${ct}/sandbox/carts`, { headers: { authorization: `Bearer ${minted.body.access_token}` } });
    expect(api.status).toBe(401);
  });

  it('refuses introspection without client credentials', async () => {
    const res = await http(`${ct}/oauth/introspect`, { form: { token: 'x' } });
    expect(res.status).toBe(401);
  });

  it('refuses API calls without a token it issued', async () => {
    expect((await http(`${ct}/sandbox/carts`)).status).toBe(401);
    expect((await http(`${ct}/sandbox/carts`, { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
  });
});

describe('seed data and the checkout helper', () => {
  it('serves a published product with EUR price, a tax category, zones and a shipping method', async () => {
    const { access_token } = await clientToken(ct);
    const auth = { authorization: `Bearer ${access_token}` };
    const products = await http<{ results: { key: string; masterData: { published: boolean } }[] }>(
      `${ct}/sandbox/products`,
      { headers: auth },
    );
    expect(products.body.results).toEqual([
      expect.objectContaining({ key: 'sandbox-tshirt', masterData: expect.objectContaining({ published: true }) }),
    ]);
    const shipping = await http<{ results: { key: string }[] }>(`${ct}/sandbox/shipping-methods`, { headers: auth });
    expect(shipping.body.results.map((s) => s.key)).toEqual(['standard', 'express']);
    const taxes = await http<{ count: number }>(`${ct}/sandbox/tax-categories`, { headers: auth });
    expect(taxes.body.count).toBe(1);
    const zones = await http<{ count: number }>(`${ct}/sandbox/zones`, { headers: auth });
    expect(zones.body.count).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['EUR', 1, 2500 + 499, 2],
    ['EUR', 3, 3 * 2500 + 499, 2],
    ['USD', 1, 2700 + 599, 2],
    ['JPY', 2, 2 * 3000 + 600, 0],
    ['KWD', 1, 8250 + 1500, 3],
  ])(
    'creates a ready %s cart (x%d) with the right gross total and currency digits',
    async (currency, quantity, total, digits) => {
      const res = await http<{ cartId: string; sessionId: string; amountPlanned: Record<string, unknown> }>(
        `${ct}/_sandbox/checkout-session`,
        {
          json: { currency, quantity },
        },
      );
      expect(res.status).toBe(201);
      expect(res.body.amountPlanned).toEqual({ centAmount: total, currencyCode: currency, fractionDigits: digits });
      const { access_token } = await clientToken(ct);
      const cart = await http<Record<string, any>>(`${ct}/sandbox/carts/${res.body.cartId}`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(cart.body.totalPrice).toEqual({
        type: 'centPrecision',
        centAmount: total,
        currencyCode: currency,
        fractionDigits: digits,
      });
      expect(cart.body.taxedPrice.totalGross.centAmount).toBe(total);
      expect(cart.body.shippingAddress.country).toEqual(expect.any(String));
      expect(cart.body.billingAddress.country).toEqual(cart.body.shippingAddress.country);
      expect(cart.body.shippingInfo.shippingMethodName).toBe('Standard shipping');
      expect(cart.body.lineItems).toHaveLength(1);
    },
  );

  it('rejects an unknown currency or quantity with a 400 naming the problem', async () => {
    const res = await http<{ message: string }>(`${ct}/_sandbox/checkout-session`, {
      json: { currency: 'XXX', quantity: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/currency/);
    expect(res.body.message).toMatch(/quantity/);
  });
});

describe('Session API', () => {
  it('creates and reads an ACTIVE session bound to a cart, with metadata', async () => {
    const checkout = await http<{ cartId: string }>(`${ct}/_sandbox/checkout-session`, {
      json: { withoutSession: true },
    });
    const { access_token } = await clientToken(ct, 'manage_sessions:sandbox');
    const auth = { authorization: `Bearer ${access_token}` };
    const created = await http<{ id: string; state: string }>(`${sandbox.info.sessionApi}/sandbox/sessions`, {
      headers: auth,
      json: {
        cart: { cartRef: { id: checkout.body.cartId } },
        metadata: { processorUrl: 'http://p', allowedPaymentMethods: ['card'] },
      },
    });
    expect(created.status).toBe(201);
    const read = await http(`${sandbox.info.sessionApi}/sandbox/sessions/${created.body.id}`, { headers: auth });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: created.body.id,
      state: 'ACTIVE',
      activeCart: { cartRef: { id: checkout.body.cartId } },
      metadata: { processorUrl: 'http://p', allowedPaymentMethods: ['card'] },
    });
  });

  it('reports an expired session as EXPIRED', async () => {
    const checkout = await http<{ sessionId: string }>(`${ct}/_sandbox/checkout-session`, { json: {} });
    const expired = await http(`${ct}/_sandbox/sessions/${checkout.body.sessionId}/expire`, { method: 'POST' });
    expect(expired.body.state).toBe('EXPIRED');
    const { access_token } = await clientToken(ct);
    const read = await http(`${sandbox.info.sessionApi}/sandbox/sessions/${checkout.body.sessionId}`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(read.body.state).toBe('EXPIRED');
  });

  it('answers 404 for an unknown session, 400 for an unknown cart, 401 without a token, 403 without the scope', async () => {
    const { access_token } = await clientToken(ct);
    const auth = { authorization: `Bearer ${access_token}` };
    expect((await http(`${sandbox.info.sessionApi}/sandbox/sessions/unknown`, { headers: auth })).status).toBe(404);
    expect(
      (
        await http(`${sandbox.info.sessionApi}/sandbox/sessions`, {
          headers: auth,
          json: { cart: { cartRef: { id: 'nope' } } },
        })
      ).status,
    ).toBe(400);
    expect((await http(`${sandbox.info.sessionApi}/sandbox/sessions/unknown`)).status).toBe(401);
    const weak = await clientToken(ct, 'view_products:sandbox');
    expect(
      (
        await http(`${sandbox.info.sessionApi}/sandbox/sessions/unknown`, {
          headers: { authorization: `Bearer ${weak.access_token}` },
        })
      ).status,
    ).toBe(403);
  });
});

describe('reset', () => {
  it('clears carts and sessions, reseeds the catalogue, and zeroes counters', async () => {
    const before = await http<{ cartId: string; sessionId: string }>(`${ct}/_sandbox/checkout-session`, { json: {} });
    const reset = await http(`${ct}/_sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const { access_token } = await clientToken(ct);
    const auth = { authorization: `Bearer ${access_token}` };
    expect((await http(`${ct}/sandbox/carts/${before.body.cartId}`, { headers: auth })).status).toBe(404);
    expect(
      (await http(`${sandbox.info.sessionApi}/sandbox/sessions/${before.body.sessionId}`, { headers: auth })).status,
    ).toBe(404);
    const products = await http<{ count: number }>(`${ct}/sandbox/products`, { headers: auth });
    expect(products.body.count).toBe(1);
    // Counted since the reset: the token request and the three reads above.
    const counters = await http<{ total: number; byRoute: Record<string, unknown> }>(`${ct}/_sandbox/counters`);
    expect(counters.body.total).toBe(4);
    expect(Object.keys(counters.body.byRoute)).toContain('POST /oauth/token');
  });
});

describe('orders from carts, as commercetools enforces them', () => {
  async function order(cartId: string, version: number, orderNumber?: string) {
    const { access_token } = await clientToken(ct);
    return http<any>(`${ct}/sandbox/orders`, {
      headers: { authorization: `Bearer ${access_token}` },
      json: { cart: { typeId: 'cart', id: cartId }, version, ...(orderNumber ? { orderNumber } : {}) },
    });
  }

  it('orders a cart once: it becomes Ordered, a second order and a stale version are refused, order numbers are unique', async () => {
    const a = await http<{ cartId: string; cartVersion: number }>(`${ct}/_sandbox/checkout-session`, { json: {} });
    expect((await order(a.body.cartId, a.body.cartVersion + 5)).status).toBe(409);
    const number = `order-${Date.now()}`;
    const created = await order(a.body.cartId, a.body.cartVersion, number);
    expect(created.status).toBe(201);
    const { access_token } = await clientToken(ct);
    const cart = await http<any>(`${ct}/sandbox/carts/${a.body.cartId}`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(cart.body.cartState).toBe('Ordered');
    const again = await order(a.body.cartId, cart.body.version);
    expect(again.status).toBe(400);
    expect(again.body.errors[0].code).toBe('InvalidOperation');

    const b = await http<{ cartId: string; cartVersion: number }>(`${ct}/_sandbox/checkout-session`, { json: {} });
    const duplicate = await order(b.body.cartId, b.body.cartVersion, number);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors[0].code).toBe('DuplicateField');
  });

  it('two concurrent orders of one cart: exactly one succeeds', async () => {
    const c = await http<{ cartId: string; cartVersion: number }>(`${ct}/_sandbox/checkout-session`, { json: {} });
    const results = await Promise.all([
      order(c.body.cartId, c.body.cartVersion),
      order(c.body.cartId, c.body.cartVersion),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(201);
    // Refused as a conflict while the first runs, or as already ordered once it finished.
    expect([400, 409]).toContain(statuses[1]);
    const { access_token } = await clientToken(ct);
    const orders = await http<{ count: number }>(
      `${ct}/sandbox/orders?where=${encodeURIComponent(`cart(id="${c.body.cartId}")`)}`,
      {
        headers: { authorization: `Bearer ${access_token}` },
      },
    );
    expect(orders.body.count).toBe(1);
  });
});
