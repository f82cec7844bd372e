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
 * What this connector is asked to charge: the amount to pay less what the session says a gift
 * card pays (as the payments SDK's planned amount does), never below zero.
 */
export function plannedAmount(
  cart: Cart,
  excludePaymentId: string | undefined,
  giftCard: { centAmount: number; currencyCode: string } | undefined,
): CtMoney {
  const due = amountToPay(cart, excludePaymentId);
  if (!giftCard || giftCard.currencyCode !== due.currencyCode) return due;
  return { ...due, centAmount: Math.max(0, due.centAmount - giftCard.centAmount) };
}

/**
 * The amounts a payment may cover the cart with: what is left to pay, or that less the gift card
 * its PaymentIntent was created with (while the gift card's own payment is not yet on the cart).
 */
export function acceptableAmounts(due: CtMoney, giftCardPlanned: string | undefined): number[] {
  const gift = Number(giftCardPlanned);
  return Number.isSafeInteger(gift) && gift > 0
    ? [due.centAmount, Math.max(0, due.centAmount - gift)]
    : [due.centAmount];
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
