import { startSandbox, type SandboxUrls, type SpawnedService } from '../../src/testing/spawn';
import { apiClient, http, type Api } from './helpers';

let sandbox: SpawnedService<SandboxUrls>;
let ct: string;
let api: Api;

beforeAll(async () => {
  sandbox = await startSandbox();
  ct = sandbox.info.commercetools;
  api = await apiClient(ct);
});
afterAll(() => sandbox?.stop());

const DE_VAT = { name: 'DE VAT', amount: 0.19, country: 'DE', includedInPrice: true };

async function checkoutCart(json: Record<string, unknown> = {}) {
  const res = await http<{ cartId: string; amountPlanned: { centAmount: number } }>(`${ct}/_sandbox/checkout-session`, {
    json: { withoutSession: true, ...json },
  });
  expect(res.status).toBe(201);
  return (await api('GET', `/carts/${res.body.cartId}`)).body;
}

async function update(cart: { id: string; version: number }, ...actions: unknown[]) {
  const res = await api('POST', `/carts/${cart.id}`, { version: cart.version, actions });
  expect(res.status).toBe(200);
  return res.body;
}

describe('shipping methods for a cart', () => {
  it('keeps the default checkout cart as it was: T-shirt 25.00 + Standard 4.99 = 29.99 EUR', async () => {
    const cart = await checkoutCart();
    expect(cart.totalPrice).toMatchObject({ centAmount: 2999, currencyCode: 'EUR', fractionDigits: 2 });
    expect(cart.shippingInfo).toMatchObject({ shippingMethodName: 'Standard shipping', price: { centAmount: 499 } });
  });

  it('answers matching-cart as commercetools does: the default first, one matching rate each, only the address zone and currency', async () => {
    const cart = await checkoutCart();
    const res = await api('GET', `/shipping-methods/matching-cart?cartId=${cart.id}`);
    expect(res.status).toBe(200);
    const zones = (await api('GET', '/zones?limit=10')).body.results as { id: string; key: string }[];
    const europe = zones.find((z) => z.key === 'europe')!.id;
    expect(res.body.count).toBe(2);
    expect(res.body.results.map((m: any) => ({ key: m.key, isDefault: m.isDefault, zoneRates: m.zoneRates }))).toEqual([
      {
        key: 'standard',
        isDefault: true,
        zoneRates: [
          {
            zone: { typeId: 'zone', id: europe },
            shippingRates: [
              expect.objectContaining({
                price: expect.objectContaining({ centAmount: 499, currencyCode: 'EUR' }),
                isMatching: true,
              }),
            ],
          },
        ],
      },
      {
        key: 'express',
        isDefault: false,
        zoneRates: [
          {
            zone: { typeId: 'zone', id: europe },
            shippingRates: [
              expect.objectContaining({
                price: expect.objectContaining({ centAmount: 999, currencyCode: 'EUR' }),
                isMatching: true,
              }),
            ],
          },
        ],
      },
    ]);

    // A US cart in USD: only Standard ships there (Express is Europe only).
    const us = await checkoutCart({ currency: 'USD' });
    const usMethods = await api('GET', `/shipping-methods/matching-cart?cartId=${us.id}`);
    expect(usMethods.body.results.map((m: any) => m.key)).toEqual(['standard']);
    expect(usMethods.body.results[0].zoneRates[0].shippingRates).toEqual([
      expect.objectContaining({
        price: expect.objectContaining({ centAmount: 599, currencyCode: 'USD' }),
        isMatching: true,
      }),
    ]);

    expect((await api('GET', '/shipping-methods/matching-cart')).status).toBe(400);
  });

  it('switches between Standard and Express with setShippingMethod, and the total follows', async () => {
    let cart = await checkoutCart();
    cart = await update(cart, {
      action: 'setShippingMethod',
      shippingMethod: { typeId: 'shipping-method', key: 'express' },
      externalTaxRate: DE_VAT,
    });
    expect(cart.shippingInfo).toMatchObject({ shippingMethodName: 'Express shipping', price: { centAmount: 999 } });
    expect(cart.totalPrice.centAmount).toBe(3499);
    expect(cart.taxedPrice.totalGross.centAmount).toBe(3499);
    expect((await api('GET', `/carts/${cart.id}`)).body.totalPrice.centAmount).toBe(3499);

    cart = await update(cart, {
      action: 'setShippingMethod',
      shippingMethod: { typeId: 'shipping-method', key: 'standard' },
      externalTaxRate: DE_VAT,
    });
    expect(cart.totalPrice.centAmount).toBe(2999);
    expect(cart.taxedPrice.totalGross.centAmount).toBe(2999);

    const gbp = await checkoutCart({ currency: 'GBP' });
    const switched = await update(gbp, {
      action: 'setShippingMethod',
      shippingMethod: { typeId: 'shipping-method', key: 'express' },
      externalTaxRate: { ...DE_VAT, country: 'GB' },
    });
    expect(switched.totalPrice).toMatchObject({ centAmount: 2200 + 899, currencyCode: 'GBP' });
  });

  it('reprices shipping on setShippingAddress, or marks it DoesNotMatchCart when the method does not ship there', async () => {
    let cart = await checkoutCart();
    cart = await update(cart, {
      action: 'setShippingMethod',
      shippingMethod: { typeId: 'shipping-method', key: 'express' },
      externalTaxRate: DE_VAT,
    });
    cart = await update(cart, {
      action: 'setShippingAddress',
      address: { country: 'NL', city: 'Amsterdam', postalCode: '1012 JS' },
    });
    expect(cart.shippingAddress).toMatchObject({ country: 'NL', city: 'Amsterdam' });
    expect(cart.shippingInfo).toMatchObject({
      shippingMethodName: 'Express shipping',
      price: { centAmount: 999 },
      shippingMethodState: 'MatchesCart',
    });
    expect(cart.totalPrice.centAmount).toBe(3499);

    cart = await update(cart, { action: 'setShippingAddress', address: { country: 'US', city: 'New York' } });
    expect(cart.shippingInfo.shippingMethodState).toBe('DoesNotMatchCart');
    expect((await api('GET', `/carts/${cart.id}`)).body.shippingInfo.shippingMethodState).toBe('DoesNotMatchCart');
    expect((await api('GET', `/shipping-methods/matching-cart?cartId=${cart.id}`)).body.results).toEqual([]);
  });
});
