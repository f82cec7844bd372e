import type { Cart, Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { amountToPay, giftCardStillDue } from '../commercetools/cart-amount';
import { statusOf } from '../commercetools/port';
import { METADATA } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';
import { fromStripeAmount } from '../core/money';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';

/**
 * What the PaymentIntent holds for the shopper right now, in Stripe's minor unit: what is
 * authorized and not captured, plus what is captured and not refunded (refunds that failed gave
 * their amount back). Zero once everything was released or refunded.
 */
export function heldAmount(snapshot: PaymentIntentSnapshot): number {
  const { paymentIntent: pi, charge } = snapshot;
  if (!charge || charge.status !== 'succeeded') return 0;
  const capturable = pi.status === 'requires_capture' ? pi.amount_capturable : 0;
  return capturable + capturedNotRefunded(snapshot);
}

/** Captured and not refunded (a refund that failed gave its amount back), in Stripe's minor unit. */
export function capturedNotRefunded(snapshot: PaymentIntentSnapshot): number {
  const { charge } = snapshot;
  if (!charge) return 0;
  const refunded = snapshot.refunds
    ? snapshot.refunds
        .filter((r) => r.status !== 'failed' && r.status !== 'canceled')
        .reduce((sum, r) => sum + r.amount, 0)
    : charge.amount_refunded;
  return Math.max(0, charge.amount_captured - refunded);
}

/**
 * What the shopper's payment was authorized for (Stripe's minor unit), once it was: the amount the
 * cart is held against. Undefined before authorization.
 */
export function authorizedAmount(snapshot: PaymentIntentSnapshot): number | undefined {
  const { charge } = snapshot;
  return charge && charge.status === 'succeeded' ? charge.amount : undefined;
}

/** States a PaymentIntent can be in without anyone having tried to pay it. */
const UNTOUCHED: readonly string[] = ['requires_payment_method', 'requires_confirmation', 'canceled'];

/**
 * Whether anyone ever tried to pay the PaymentIntent: a charge (a released authorization
 * included), a payment error, money received or capturable, or a state past choosing the method.
 */
export function wasAttempted(
  pi: Pick<
    Stripe.PaymentIntent,
    'status' | 'amount_received' | 'amount_capturable' | 'latest_charge' | 'last_payment_error'
  >,
): boolean {
  return (
    !UNTOUCHED.includes(pi.status) ||
    pi.amount_received > 0 ||
    pi.amount_capturable > 0 ||
    Boolean(pi.latest_charge) ||
    Boolean(pi.last_payment_error)
  );
}

/** The payment was released by the connector because the cart changed while the shopper paid. */
export function releasedForCartChange(snapshot: PaymentIntentSnapshot): boolean {
  const { paymentIntent: pi, charge } = snapshot;
  if (pi.status === 'canceled' && pi.cancellation_reason === 'abandoned' && charge?.status === 'succeeded') {
    return true;
  }
  // A release refund that failed still marks the payment released: it is not attempted again.
  return (snapshot.refunds ?? []).some((r) => r.metadata?.[METADATA.reason] === 'cart_changed');
}

/** Whether commercetools already records this PaymentIntent's authorization as accepted. */
export function isAccepted(payment: Payment, paymentIntent: Pick<Stripe.PaymentIntent, 'id'> | string): boolean {
  const id = typeof paymentIntent === 'string' ? paymentIntent : paymentIntent.id;
  return payment.transactions.some(
    (t) =>
      (t.type === 'Authorization' && t.state === 'Success' && t.interactionId === id) ||
      (t.type === 'Charge' && (t.state === 'Success' || t.state === 'Pending')),
  );
}

export type CoverageVerdict =
  /** The cart asks exactly what the payment holds: it may be approved and ordered. */
  | { verdict: 'matches'; cart: Cart }
  /**
   * The payment holds a part of what the cart asks that it was meant to pay: the cart less the
   * gift card the session planned (whose own payment is not on the cart yet), or the amount
   * commercetools Checkout asked for. The payment stands, but the cart is not paid in full, so no
   * order is made from it until the other payments are there (commercetools Checkout orders it).
   */
  | { verdict: 'partial'; rest: number }
  /** The cart was ordered already (with this payment on it, or by whoever ordered it). */
  | { verdict: 'ordered' }
  /** The cart asks another amount, or is gone: the payment must be released. */
  | { verdict: 'differs'; reason: string };

/**
 * Compares what the payment was authorized for with the cart's amount to pay at this moment (its
 * gross total minus the other payments already approved). Refunds made since do not count: they
 * are the merchant's, after the payment.
 */
export async function cartCoverage(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  /** The cart with its payments, read alongside Stripe's state: used when it is the PaymentIntent's. */
  read?: Cart,
): Promise<CoverageVerdict> {
  const pi = snapshot.paymentIntent;
  const cartId = pi.metadata[METADATA.cartId];
  if (!cartId) return { verdict: 'differs', reason: 'the PaymentIntent names no cart' };
  let cart: Cart;
  try {
    cart = read?.id === cartId ? read : await deps.ct.getCartWithPayments(cartId);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    if (await deps.ct.findOrderByPaymentId(payment.id)) return { verdict: 'ordered' };
    return { verdict: 'differs', reason: `cart ${cartId} no longer exists` };
  }
  if (cart.cartState === 'Ordered') return { verdict: 'ordered' };
  if (cart.cartState === 'Merged') return { verdict: 'differs', reason: 'the cart was merged into another one' };
  const due = amountToPay(cart, payment.id);
  const paid = fromStripeAmount(authorizedAmount(snapshot) ?? 0, pi.currency, payment.amountPlanned.fractionDigits);
  const giftCard = giftCardStillDue(cart, payment.id, Number(pi.metadata[METADATA.giftCardPlanned]));
  if (due.currencyCode === paid.currencyCode && giftCard > 0 && paid.centAmount === due.centAmount - giftCard) {
    return { verdict: 'partial', rest: giftCard };
  }
  // A part of the cart its caller asked for (commercetools Checkout pays a cart with several).
  const asked = Number(pi.metadata[METADATA.amountAsked]);
  if (
    due.currencyCode === paid.currencyCode &&
    Number.isSafeInteger(asked) &&
    asked > 0 &&
    paid.centAmount === asked &&
    asked < due.centAmount
  ) {
    return { verdict: 'partial', rest: due.centAmount - asked };
  }
  if (due.currencyCode !== paid.currencyCode || due.centAmount !== paid.centAmount) {
    return {
      verdict: 'differs',
      reason: `the cart asks ${due.centAmount} ${due.currencyCode}, the payment was for ${paid.centAmount} ${paid.currencyCode}`,
    };
  }
  return { verdict: 'matches', cart };
}
