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
