import type { BaseAddress, Cart, Order, Payment, PaymentState } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { amountToPay } from '../commercetools/cart-amount';
import { isConflict, statusOf } from '../commercetools/port';
import { METADATA } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';
import type { OrderResult } from '../core/order-memory';
import { converge } from './converge';
import { fromStripeAmount } from '../core/money';
import { authorizedAmount, cartCoverage, releasedForCartChange } from './coverage';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';
import { releasePayment } from './release';
import { present } from '../core/present';

export type { OrderResult } from '../core/order-memory';

const total = (payment: Payment, type: string, states: readonly string[]) =>
  payment.transactions
    .filter((t) => t.type === type && states.includes(t.state))
    .reduce((sum, t) => sum + t.amount.centAmount, 0);

/**
 * The order's payment state as the commercetools payment says (see docs/payment-model.md): the
 * bank took the money back → BalanceDue; everything captured refunded → Failed (CreditOwed while
 * some of those refunds are pending); something captured → Paid; an authorization released
 * without capture, or a failed payment → Failed; otherwise Pending.
 */
export function orderPaymentState(payment: Payment): PaymentState {
  if (total(payment, 'Chargeback', ['Success']) > 0) return 'BalanceDue';
  const captured = total(payment, 'Charge', ['Success', 'Pending']);
  if (captured > 0) {
    if (total(payment, 'Refund', ['Success']) >= captured) return 'Failed';
    if (total(payment, 'Refund', ['Success', 'Pending']) >= captured) return 'CreditOwed';
    return 'Paid';
  }
  if (payment.transactions.some((t) => t.type === 'Authorization' && t.state === 'Success')) {
    return total(payment, 'CancelAuthorization', ['Success', 'Pending']) > 0 ? 'Failed' : 'Pending';
  }
  if (payment.transactions.some((t) => t.type === 'Authorization' && t.state === 'Failure')) return 'Failed';
  return 'Pending';
}

function addressFromStripe(shipping: Stripe.Charge['shipping']): BaseAddress | undefined {
  const a = shipping?.address;
  if (!a?.country) return undefined;
  const [firstName, ...rest] = (shipping?.name ?? '').split(' ');
  const text = (value: string | null | undefined) => value || undefined;
  return {
    country: a.country,
    ...present({
      firstName: text(firstName),
      lastName: text(rest.join(' ')),
      streetName: text(a.line1),
      additionalStreetInfo: text(a.line2),
      postalCode: text(a.postal_code),
      city: text(a.city),
      state: text(a.state),
      phone: text(shipping?.phone),
    }),
  };
}

/**
 * When a payment is authorized or paid, creates the order from its cart exactly once (D24).
 * A redelivered event finds the order and only aligns its payment state; a cart that Checkout
 * or a storefront already ordered is left alone, and so is the cart of a commercetools Checkout
 * transaction item, which Checkout orders.
 */
export function ensureOrder(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  /** The cart this sync just accepted the payment against: no order can exist for it yet. */
  justAccepted?: Cart,
): Promise<OrderResult> {
  if (!deps.config.orders.create) return Promise.resolve('disabled');
  const cartId = snapshot.paymentIntent.metadata[METADATA.cartId];
  if (!cartId) return Promise.resolve('not-paid');
  const { inFlight } = deps.orders;
  const running = inFlight.get(cartId);
  if (running) return running.then(() => ensureOrder(deps, payment, snapshot));
  const work = createOnce(deps, payment, snapshot, cartId, justAccepted).finally(() => inFlight.delete(cartId));
  inFlight.set(cartId, work);
  return work;
}

/**
 * Sets the order's payment state from the payment as commercetools shows it after the order was
 * read, written against the order's version: a replica holding an older view of the payment then
 * never overwrites a newer state (its write conflicts, and it reads both again).
 */
async function align(deps: PaymentsDeps, order: Order, paymentId: string): Promise<PaymentState> {
  let current = order;
  for (let attempt = 1; ; attempt++) {
    const state = orderPaymentState(await deps.ct.getPayment(paymentId));
    if (current.paymentState === state) return state;
    try {
      await deps.ct.changeOrderPaymentState(current, state);
      return state;
    } catch (error) {
      if (!isConflict(error) || attempt >= 4) throw error;
      current = await deps.ct.getOrder(order.id);
    }
  }
}

async function createOnce(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  cartId: string,
  justAccepted?: Cart,
): Promise<OrderResult> {
  const { ct } = deps;
  // A payment that never paid for an order (declined, abandoned, or given back because its cart
  // changed) must not touch the order that another payment of the same cart paid for.
  if (releasedForCartChange(snapshot)) return 'released';
  const authorized = authorizedAmount(snapshot);
  if (authorized === undefined) return 'not-paid';
  const state = orderPaymentState(payment);
  // An order this processor created or aligned lately, and nothing changed since: no lookup.
  if (deps.orders.knownState(payment.id) === state) return 'exists';
  // A payment accepted this moment has no order yet (if another replica makes one meanwhile,
  // commercetools refuses the second: see the catch below).
  const existing = justAccepted ? undefined : await ct.findOrderByPaymentId(payment.id);
  if (existing) {
    deps.orders.remember(payment.id, await align(deps, existing, payment.id));
    return 'exists';
  }
  // Only an authorized payment is ordered, and only for a cart that asks exactly what it was
  // authorized for: the order is created from the cart version checked here (commercetools refuses
  // it if the cart changed since), and a cart that changed gets its payment back instead. Refunds
  // made since count as they would after the order: they are the merchant's, and the order's
  // payment state shows them, whichever arrived first.
  const status = snapshot.paymentIntent.status;
  if (status !== 'requires_capture' && status !== 'succeeded') return 'not-paid';
  // The cart the payment was accepted against moments ago is checked already; the order is made
  // from its version, so a change since makes commercetools refuse it (and the retry checks again).
  const coverage = justAccepted
    ? ({ verdict: 'matches', cart: justAccepted } as const)
    : await cartCoverage(deps, payment, snapshot);
  if (coverage.verdict === 'ordered') {
    deps.log.info({ cartId, paymentId: payment.id }, 'cart already ordered elsewhere: left alone');
    return 'already-ordered';
  }
  if (coverage.verdict === 'partial') {
    deps.log.info(
      { cartId, paymentId: payment.id, rest: coverage.rest },
      'cart not paid in full until its other payments are on it: no order yet',
    );
    return 'awaits-other-payments';
  }
  if (coverage.verdict === 'differs') {
    await giveBack(deps, payment, snapshot, coverage.reason);
    return 'released';
  }
  if (snapshot.paymentIntent.metadata[METADATA.checkoutTransactionItemId]) {
    // A payment of a commercetools Checkout transaction item: Checkout creates the order itself
    // once its transaction completes (a second order, or an Ordered cart under Checkout, must not
    // come from here). An order it made is aligned above like any other.
    return 'left-to-checkout';
  }
  let cart: Cart = coverage.cart;
  const fromStripe = cart.shippingAddress
    ? undefined
    : addressFromStripe(snapshot.charge?.shipping ?? snapshot.paymentIntent.shipping);
  if (fromStripe) {
    // A new address may change shipping costs and taxes: the order's cart is checked again.
    const addressed = await ct.setCartShippingAddress(cart, fromStripe);
    const due = amountToPay({ ...addressed, paymentInfo: cart.paymentInfo } as Cart, payment.id);
    const paid = fromStripeAmount(authorized, snapshot.paymentIntent.currency, payment.amountPlanned.fractionDigits);
    if (due.centAmount !== paid.centAmount || due.currencyCode !== paid.currencyCode) {
      await giveBack(deps, payment, snapshot, 'the cart asks another amount once its shipping address is set');
      return 'released';
    }
    cart = addressed;
  }
  const orderNumber = snapshot.paymentIntent.metadata[METADATA.orderNumber];
  try {
    const order = await ct.createOrderFromCart({ cart, paymentState: state, ...(orderNumber ? { orderNumber } : {}) });
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
      if (now) {
        // Its maker may have known an older state of the payment.
        deps.orders.remember(payment.id, await align(deps, now, payment.id));
        return 'exists';
      }
      if ((await ct.getCart(cartId)).cartState === 'Ordered') return 'already-ordered';
    }
    throw error;
  }
}

async function giveBack(deps: PaymentsDeps, payment: Payment, snapshot: PaymentIntentSnapshot, reason: string) {
  const after = await releasePayment(deps, payment, snapshot, reason);
  await deps.serial.serially(snapshot.paymentIntent.id, () =>
    converge(deps, payment.id, snapshot.paymentIntent.id, { snapshot: after }),
  );
}
