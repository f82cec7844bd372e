import type { Cart, Payment, Transaction } from '@commercetools/platform-sdk';
import type { CtMoney } from '../core/money';

const isLive = (t: Transaction) => t.state === 'Success' || t.state === 'Pending';

/** A payment that took money, or is taking it, and was not reverted. */
export function isPaymentApproved(payment: Payment): boolean {
  const approved = payment.transactions.some((t) => isLive(t) && (t.type === 'Authorization' || t.type === 'Charge'));
  const reverted = payment.transactions.some(
    (t) => isLive(t) && (t.type === 'CancelAuthorization' || t.type === 'Refund'),
  );
  return approved && !reverted;
}

export function expandedPayments(cart: Cart): Payment[] {
  return (cart.paymentInfo?.payments ?? []).flatMap((ref) => (ref.obj ? [ref.obj] : []));
}

/**
 * The part of a gift card's planned amount that is not on the cart yet: the gift card's own
 * payment, once approved on the cart, is already counted by `amountToPay`, and deducting the
 * planned amount again would charge too little. Payments approved on the cart count against the
 * planned amount first (so this never charges less than what is left to pay).
 */
export function giftCardStillDue(cart: Cart, excludePaymentId: string | undefined, giftCardCents: number): number {
  if (!Number.isSafeInteger(giftCardCents) || giftCardCents <= 0) return 0;
  const total = cart.taxedPrice?.totalGross ?? cart.totalPrice;
  const approvedElsewhere = total.centAmount - amountToPay(cart, excludePaymentId).centAmount;
  return Math.max(0, giftCardCents - approvedElsewhere);
}

/**
 * What this connector is asked to charge: what is left to pay on the cart less the part of the
 * session's gift card that is not on the cart yet (see `giftCardStillDue`), never below zero.
 */
export function plannedAmount(
  cart: Cart,
  excludePaymentId: string | undefined,
  giftCard: { centAmount: number; currencyCode: string } | undefined,
): CtMoney {
  const due = amountToPay(cart, excludePaymentId);
  if (!giftCard || giftCard.currencyCode !== due.currencyCode) return due;
  const deducted = giftCardStillDue(cart, excludePaymentId, giftCard.centAmount);
  return { ...due, centAmount: Math.max(0, due.centAmount - deducted) };
}

/**
 * What is left to pay on the cart: its gross total minus the approved payments other than
 * `excludePaymentId`. Reads the expanded payments of the cart, so it costs no request.
 */
export function amountToPay(cart: Cart, excludePaymentId?: string): CtMoney {
  const total = cart.taxedPrice?.totalGross ?? cart.totalPrice;
  const paid = expandedPayments(cart)
    .filter(
      (p) => p.id !== excludePaymentId && p.amountPlanned.currencyCode === total.currencyCode && isPaymentApproved(p),
    )
    .reduce((sum, p) => sum + p.amountPlanned.centAmount, 0);
  return {
    centAmount: Math.max(0, total.centAmount - paid),
    currencyCode: total.currencyCode,
    fractionDigits: total.fractionDigits,
  };
}

/** Keys of the payments `POST /operations/transactions` makes (commercetools Checkout's charges). */
export const TRANSACTION_PAYMENT_KEY_PREFIX = 'ct-tx-';

/** A payment made for commercetools Checkout by `POST /operations/transactions`. */
export const isTransactionPayment = (payment: Pick<Payment, 'key'>) =>
  payment.key?.startsWith(TRANSACTION_PAYMENT_KEY_PREFIX) ?? false;

/**
 * A transaction's payment on the cart whose charge has no outcome yet: no failure, nothing given
 * back. It is on the cart before Stripe is asked, so it counts against what is left to pay.
 */
function transactionInFlight(payment: Payment): boolean {
  if (!isTransactionPayment(payment) || isPaymentApproved(payment)) return false;
  return !payment.transactions.some(
    (t) => t.state === 'Failure' || (isLive(t) && (t.type === 'CancelAuthorization' || t.type === 'Refund')),
  );
}

/**
 * What is left for a transaction of commercetools Checkout: what is left to pay less the charges
 * of other transactions still in flight on the cart (so that two transaction items charged at once
 * never take more than the cart's total between them).
 */
export function leftForTransaction(cart: Cart, excludePaymentId?: string): CtMoney {
  const due = amountToPay(cart, excludePaymentId);
  const inFlight = expandedPayments(cart)
    .filter(
      (p) => p.id !== excludePaymentId && p.amountPlanned.currencyCode === due.currencyCode && transactionInFlight(p),
    )
    .reduce((sum, p) => sum + p.amountPlanned.centAmount, 0);
  return { ...due, centAmount: Math.max(0, due.centAmount - inFlight) };
}

/**
 * A recurring cart, by the payments SDK's rule (`isRecurringCart`, which its recurring payment
 * job service applies): a customer's cart with a line item or custom line item that recurs.
 */
export function isRecurringCart(cart: Cart): boolean {
  if (!cart.customerId) return false;
  return (
    (cart.lineItems ?? []).some((item) => item.recurrenceInfo) ||
    (cart.customLineItems ?? []).some((item) => item.recurrenceInfo)
  );
}
