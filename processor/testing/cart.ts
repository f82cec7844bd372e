import type { Cart, Order } from '@commercetools/platform-sdk';
import type { Processor } from './world';

/** The shopper changes the quantity of the cart's first line item (another tab, the storefront). */
export async function setQuantity(p: Processor, cartId: string, quantity: number): Promise<Cart> {
  const api = p.deps.sdk.ctAPI.client;
  const cart = (await api.carts().withId({ ID: cartId }).get().execute()).body;
  const res = await api
    .carts()
    .withId({ ID: cartId })
    .post({
      body: {
        version: cart.version,
        actions: [{ action: 'changeLineItemQuantity', lineItemId: cart.lineItems[0]!.id, quantity }],
      },
    })
    .execute();
  return res.body;
}

export async function getCart(p: Processor, cartId: string): Promise<Cart> {
  return (await p.deps.sdk.ctAPI.client.carts().withId({ ID: cartId }).get().execute()).body;
}

export async function ordersOf(p: Processor, cartId: string): Promise<Order[]> {
  return (await p.deps.sdk.ctAPI.order.find(`cart(id="${cartId}")`)).results;
}

/** Gross total of a cart (what the shopper must pay), in cents. */
export const cartTotal = (cart: Cart) => (cart.taxedPrice?.totalGross ?? cart.totalPrice).centAmount;

/**
 * A gift card's payment on the cart, as a gift card connector leaves it: charged in full, added
 * to the cart.
 */
export async function addGiftCardPayment(p: Processor, cartId: string, centAmount: number): Promise<Cart> {
  const api = p.deps.sdk.ctAPI.client;
  const payment = (
    await api
      .payments()
      .post({
        body: {
          amountPlanned: { centAmount, currencyCode: 'EUR' },
          paymentMethodInfo: { paymentInterface: 'gift-card-connector', method: 'giftcard' },
          transactions: [{ type: 'Charge', state: 'Success', amount: { centAmount, currencyCode: 'EUR' } }],
        },
      })
      .execute()
  ).body;
  const cart = await getCart(p, cartId);
  return (
    await api
      .carts()
      .withId({ ID: cartId })
      .post({
        body: {
          version: cart.version,
          actions: [{ action: 'addPayment', payment: { typeId: 'payment', id: payment.id } }],
        },
      })
      .execute()
  ).body;
}

/** A second shipping method in the sandbox project ("Express shipping", 9.99 in Europe), made once per sandbox. */
export async function expressShippingMethod(p: Processor): Promise<{ id: string; name: string; centAmount: number }> {
  const api = p.deps.sdk.ctAPI.client;
  const key = 'express';
  const centAmount = 999;
  try {
    const existing = (await api.shippingMethods().withKey({ key }).get().execute()).body;
    return { id: existing.id, name: existing.name, centAmount };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  const zone = (await api.zones().withKey({ key: 'europe' }).get().execute()).body;
  const created = (
    await api
      .shippingMethods()
      .post({
        body: {
          key,
          name: 'Express shipping',
          isDefault: false,
          taxCategory: { typeId: 'tax-category', key: 'standard' },
          zoneRates: [
            { zone: { typeId: 'zone', id: zone.id }, shippingRates: [{ price: { currencyCode: 'EUR', centAmount } }] },
          ],
        },
      })
      .execute()
  ).body;
  return { id: created.id, name: created.name, centAmount };
}

/** The shopper picks another shipping method (taxed like the sandbox's carts: 19 % included). */
export async function setShippingMethod(p: Processor, cartId: string, shippingMethodId: string): Promise<Cart> {
  const api = p.deps.sdk.ctAPI.client;
  const cart = await getCart(p, cartId);
  const country = cart.shippingAddress?.country ?? 'DE';
  return (
    await api
      .carts()
      .withId({ ID: cartId })
      .post({
        body: {
          version: cart.version,
          actions: [
            {
              action: 'setShippingMethod',
              shippingMethod: { typeId: 'shipping-method', id: shippingMethodId },
              externalTaxRate: { name: `${country} VAT`, amount: 0.19, country, includedInPrice: true },
            },
          ],
        },
      })
      .execute()
  ).body;
}
