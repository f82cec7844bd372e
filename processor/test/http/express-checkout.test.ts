import {
  addGiftCardPayment,
  cartTotal,
  expressShippingMethod,
  getCart,
  setQuantity,
  setShippingMethod,
} from '../../testing/cart';
import { browserConfirm, counters, resetCounters, stripeFor } from '../../testing/stripe';
import { mcToken } from '../../testing/tokens';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;
let manualLinkless: Processor;
let off: Processor;

beforeAll(async () => {
  world = await startWorld();
  [processor, manualLinkless, off] = await Promise.all([
    startProcessor(world, { ALLOWED_ORIGINS: 'https://shop.example.com' }),
    startProcessor(world, { STRIPE_EXPRESS_WALLETS: 'googlePay,applePay', STRIPE_CAPTURE_METHOD: 'manual' }),
    startProcessor(world, { STRIPE_EXPRESS_WALLETS: '' }),
  ]);
});
afterAll(async () => {
  await Promise.all([processor?.close(), manualLinkless?.close(), off?.close()]);
  await world?.stop();
});

const expressConfig = (p: Processor, session: string, headers: Record<string, string> = {}) =>
  call(`${p.url}/express-config`, { session, headers });
const createExpress = (p: Processor, session: string) =>
  call(`${p.url}/payments`, { session, json: { paymentComponent: 'express' } });
const piOf = (clientSecret: string) => stripeFor(world).paymentIntents.retrieve(clientSecret.split('_secret_')[0]!);

describe('GET /express-config', () => {
  it("answers the cart's amount, country, wallets and lines that add up to the amount, from one cart read", async () => {
    const { sessionId, cartId } = await checkout(world, { quantity: 2 });
    const cart = await getCart(processor, cartId);
    await resetCounters(world);
    const res = await expressConfig(processor, sessionId);
    expect(res.status).toBe(200);
    const cartReads = Object.entries((await counters(world, 'commercetools')).byRoute)
      .filter(([route]) => route.startsWith('GET ') && route.includes('/carts'))
      .reduce((total, [, { count }]) => total + count, 0);
    expect(cartReads).toBe(1);
    expect(res.body).toEqual({
      cartInfo: { amount: 2 * 2500 + 499, currency: 'eur' },
      countryCode: 'DE',
      captureMethod: 'automatic',
      paymentMethodTypes: ['card', 'link'],
      wallets: { applePay: 'auto', googlePay: 'auto', link: 'auto' },
      lineItems: [
        { name: 'Sandbox T-shirt', amount: 5000 },
        { name: 'Standard shipping', amount: 499 },
      ],
      shippingRate: { id: cart.shippingInfo!.shippingMethod!.id, displayName: 'Standard shipping', amount: 499 },
    });
    const sum = (res.body.lineItems as { amount: number }[]).reduce((total, line) => total + line.amount, 0);
    expect(sum).toBe(res.body.cartInfo.amount);
  });

  it('only the configured wallets, the configured capture method, no link type without Link', async () => {
    const { sessionId } = await checkout(world, { country: 'NL' });
    const res = await expressConfig(manualLinkless, sessionId);
    expect(res.body).toMatchObject({
      countryCode: 'NL',
      captureMethod: 'manual',
      paymentMethodTypes: ['card'],
      wallets: { applePay: 'auto', googlePay: 'auto', link: 'never' },
    });
  });

  it("uses Stripe's minor unit (JPY is zero-decimal) for the amount and every line", async () => {
    const { sessionId } = await checkout(world, { currency: 'JPY', country: 'JP' });
    const res = await expressConfig(processor, sessionId);
    expect(res.body.cartInfo).toEqual({ amount: 3600, currency: 'jpy' });
    expect(res.body.lineItems).toEqual([
      { name: 'Sandbox T-shirt', amount: 3000 },
      { name: 'Standard shipping', amount: 600 },
    ]);
  });

  it('answers no lines when part of the cart is already paid (a gift card): the amount is what is left', async () => {
    const { sessionId, cartId } = await checkout(world);
    await addGiftCardPayment(processor, cartId, 1000);
    const res = await expressConfig(processor, sessionId);
    expect(res.body.cartInfo).toEqual({ amount: 2999 - 1000, currency: 'eur' });
    expect(res.body.lineItems).toEqual([]);
  });

  it('follows the shipping method the cart has now', async () => {
    const { sessionId, cartId } = await checkout(world);
    const express = await expressShippingMethod(processor);
    await setShippingMethod(processor, cartId, express.id);
    const res = await expressConfig(processor, sessionId);
    expect(res.body.cartInfo.amount).toBe(2500 + express.centAmount);
    expect(res.body.shippingRate).toEqual({ id: express.id, displayName: 'Express shipping', amount: 999 });
    expect(res.body.lineItems).toEqual([
      { name: 'Sandbox T-shirt', amount: 2500 },
      { name: 'Express shipping', amount: 999 },
    ]);
  });

  it('is refused (400) when express checkout is off, and needs a session (401)', async () => {
    const { sessionId } = await checkout(world);
    const res = await expressConfig(off, sessionId);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: 'Express checkout is not enabled.' });
    expect((await call(`${processor.url}/express-config`)).status).toBe(401);
  });

  it('answers CORS for the allowed origins only, as /config-element does', async () => {
    const { sessionId } = await checkout(world);
    const allowed = await expressConfig(processor, sessionId, { origin: 'https://shop.example.com' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    const other = await expressConfig(processor, sessionId, { origin: 'https://evil.example.com' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe("POST /payments {paymentComponent: 'express'}", () => {
  it('creates the PaymentIntent with the express method types and answers its amount and currency', async () => {
    const { sessionId } = await checkout(world);
    const res = await createExpress(processor, sessionId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ amount: 2999, currency: 'eur', paymentReference: expect.any(String) });
    const pi = await piOf(res.body.clientSecret);
    expect(pi).toMatchObject({ amount: 2999, currency: 'eur', capture_method: 'automatic' });
    expect(pi.allowed_payment_method_types ?? pi.payment_method_types).toEqual(['card', 'link']);
    // The same call again reuses it (stable keys): same payment, same PaymentIntent.
    const again = await createExpress(processor, sessionId);
    expect(again.body.paymentReference).toBe(res.body.paymentReference);
    expect(again.body.clientSecret).toBe(res.body.clientSecret);
  });

  it('without Link: card only', async () => {
    const { sessionId } = await checkout(world);
    const res = await createExpress(manualLinkless, sessionId);
    const pi = await piOf(res.body.clientSecret);
    expect(pi.allowed_payment_method_types ?? pi.payment_method_types).toEqual(['card']);
    expect(pi.capture_method).toBe('manual');
  });

  it('is refused when express checkout is off', async () => {
    const { sessionId } = await checkout(world);
    const res = await createExpress(off, sessionId);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('InvalidInput');
  });

  it('the Payment Element answers amount and currency too', async () => {
    const { sessionId } = await checkout(world, { quantity: 3 });
    const res = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
    expect(res.body).toMatchObject({ amount: 3 * 2500 + 499, currency: 'eur' });
  });

  it('a cart whose shipping method changed after the sheet was shown is charged its new total', async () => {
    const { sessionId, cartId } = await checkout(world);
    const before = await expressConfig(processor, sessionId);
    expect(before.body.cartInfo.amount).toBe(2999);
    const express = await expressShippingMethod(processor);
    const cart = await setShippingMethod(processor, cartId, express.id);
    const res = await createExpress(processor, sessionId);
    expect(res.body.amount).toBe(cartTotal(cart));
    expect(res.body.amount).toBe(2500 + 999);
    expect((await piOf(res.body.clientSecret)).amount).toBe(3499);
    // The enabler compares this with what the sheet showed, and confirms only when they agree.
    expect(res.body.amount).not.toBe(before.body.cartInfo.amount);
    await browserConfirm(world, res.body.clientSecret, 'pm_card_visa');
    const confirmed = await call(`${processor.url}/confirmPayments/${res.body.paymentReference}`, {
      session: sessionId,
      json: {},
    });
    expect(confirmed.body.outcome).toBe('approved');
  });

  it('a cart changed between create and confirm is released: cart_changed', async () => {
    const { sessionId, cartId } = await checkout(world);
    const res = await createExpress(processor, sessionId);
    await setQuantity(processor, cartId, 2);
    await browserConfirm(world, res.body.clientSecret, 'pm_card_visa');
    const confirmed = await call(`${processor.url}/confirmPayments/${res.body.paymentReference}`, {
      session: sessionId,
      json: {},
    });
    expect(confirmed.body).toMatchObject({ outcome: 'rejected', errorCode: 'cart_changed' });
    const pi = await stripeFor(world).paymentIntents.retrieve(res.body.clientSecret.split('_secret_')[0]!, {
      expand: ['latest_charge'],
    });
    expect((pi.latest_charge as { amount_refunded: number }).amount_refunded).toBe(2999);
  });
});

describe('GET /operations/payment-components', () => {
  const components = async (p: Processor) =>
    call(`${p.url}/operations/payment-components`, {
      headers: { authorization: `Bearer ${await mcToken(world)}` },
    });

  it('lists the configured wallets as express components, and none when express checkout is off', async () => {
    expect((await components(processor)).body.express).toEqual([
      { type: 'applepay' },
      { type: 'googlepay' },
      { type: 'link' },
    ]);
    expect((await components(manualLinkless)).body.express).toEqual([{ type: 'googlepay' }, { type: 'applepay' }]);
    expect((await components(off)).body.express).toEqual([]);
  });
});
