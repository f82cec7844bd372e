import type { BaseAddress, Order, Payment, PaymentState } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { statusOf } from '../commercetools/port';
import { METADATA } from '../payments/checkout-context';
import type { PaymentsDeps } from '../payments/deps';
import type { PaymentIntentSnapshot } from './desired-transactions';

export type OrderResult = 'created' | 'exists' | 'already-ordered' | 'not-paid' | 'disabled';

const live = (payment: Payment, type: string) =>
  payment.transactions.some((t) => t.type === type && (t.state === 'Success' || t.state === 'Pending'));

/** The order's payment state as the commercetools payment says. */
export function orderPaymentState(payment: Payment): PaymentState {
  if (live(payment, 'Charge')) return 'Paid';
  if (payment.transactions.some((t) => t.type === 'Authorization' && t.state === 'Success')) {
    return live(payment, 'CancelAuthorization') ? 'Failed' : 'Pending';
  }
  if (payment.transactions.some((t) => t.type === 'Authorization' && t.state === 'Failure')) return 'Failed';
  return 'Pending';
}

function addressFromStripe(shipping: Stripe.Charge['shipping']): BaseAddress | undefined {
  const a = shipping?.address;
  if (!a?.country) return undefined;
  const [firstName, ...rest] = (shipping?.name ?? '').split(' ');
  return {
    country: a.country,
    ...(firstName ? { firstName } : {}),
    ...(rest.length ? { lastName: rest.join(' ') } : {}),
    ...(a.line1 ? { streetName: a.line1 } : {}),
    ...(a.line2 ? { additionalStreetInfo: a.line2 } : {}),
    ...(a.postal_code ? { postalCode: a.postal_code } : {}),
    ...(a.city ? { city: a.city } : {}),
    ...(a.state ? { state: a.state } : {}),
    ...(shipping?.phone ? { phone: shipping.phone } : {}),
  };
}

const KNOWN_TTL_MS = 10 * 60_000;
const KNOWN_MAX = 5_000;

/** What one processor remembers about orders (one per composition root). */
export function createOrderMemory() {
  /** Orders seen lately, by payment id, with the payment state they were given. */
  const known = new Map<string, { state: PaymentState; at: number }>();
  return {
    /** One order creation per cart at a time here; the cart version guards across processes. */
    inFlight: new Map<string, Promise<OrderResult>>(),
    knownState(paymentId: string): PaymentState | undefined {
      const entry = known.get(paymentId);
      if (!entry) return undefined;
      if (Date.now() - entry.at > KNOWN_TTL_MS) {
        known.delete(paymentId);
        return undefined;
      }
      return entry.state;
    },
    remember(paymentId: string, state: PaymentState): void {
      known.delete(paymentId);
      known.set(paymentId, { state, at: Date.now() });
      while (known.size > KNOWN_MAX) known.delete(known.keys().next().value as string);
    },
  };
}

export type OrderMemory = ReturnType<typeof createOrderMemory>;

/**
 * When a payment is authorized or paid, creates the order from its cart exactly once (D24).
 * A redelivered event finds the order and only aligns its payment state; a cart that Checkout
 * or a storefront already ordered is left alone.
 */
export function ensureOrder(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
): Promise<OrderResult> {
  if (!deps.config.orders.create) return Promise.resolve('disabled');
  const cartId = snapshot.paymentIntent.metadata[METADATA.cartId];
  if (!cartId) return Promise.resolve('not-paid');
  const { inFlight } = deps.orders;
  const running = inFlight.get(cartId);
  if (running) return running.then(() => ensureOrder(deps, payment, snapshot));
  const work = createOnce(deps, payment, snapshot, cartId).finally(() => inFlight.delete(cartId));
  inFlight.set(cartId, work);
  return work;
}

async function align(deps: PaymentsDeps, order: Order, state: PaymentState): Promise<void> {
  if (order.paymentState !== state) await deps.ct.changeOrderPaymentState(order, state);
}

async function createOnce(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  cartId: string,
): Promise<OrderResult> {
  const { ct } = deps;
  const state = orderPaymentState(payment);
  // An order this processor created or aligned lately, and nothing changed since: no lookup.
  if (deps.orders.knownState(payment.id) === state) return 'exists';
  const existing = await ct.findOrderByPaymentId(payment.id);
  if (existing) {
    await align(deps, existing, state);
    deps.orders.remember(payment.id, state);
    return 'exists';
  }
  const status = snapshot.paymentIntent.status;
  if (status !== 'requires_capture' && status !== 'succeeded') return 'not-paid';

  let cart = await ct.getCart(cartId);
  if (cart.cartState === 'Ordered') {
    deps.log.info({ cartId, paymentId: payment.id }, 'cart already ordered elsewhere: left alone');
    return 'already-ordered';
  }
  const fromStripe = cart.shippingAddress
    ? undefined
    : addressFromStripe(snapshot.charge?.shipping ?? snapshot.paymentIntent.shipping);
  if (fromStripe) cart = await ct.setCartShippingAddress(cart, fromStripe);
  const orderNumber = snapshot.paymentIntent.metadata[METADATA.orderNumber];
  try {
    const order = await ct.createOrderFromCart({ cart, paymentState: state, ...(orderNumber ? { orderNumber } : {}) });
    await align(deps, order, state);
    deps.orders.remember(payment.id, state);
    deps.log.info(
      { orderId: order.id, orderNumber: order.orderNumber, cartId, paymentId: payment.id },
      'order created',
    );
    return 'created';
  } catch (error) {
    // Another process ordered the cart meanwhile: the order is there, or the cart is Ordered.
    const code = statusOf(error);
    if (code === 409 || code === 400) {
      const now = await ct.findOrderByPaymentId(payment.id);
      if (now) return 'exists';
      if ((await ct.getCart(cartId)).cartState === 'Ordered') return 'already-ordered';
    }
    throw error;
  }
}
