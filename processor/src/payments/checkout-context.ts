/** What a checkout session tells the processor (from the commercetools Session API). */
export interface CheckoutContext {
  cartId: string;
  checkoutTransactionItemId?: string;
  paymentInterface?: string;
  merchantReturnUrl?: string;
  futureOrderNumber?: string;
  /** What a gift card will pay of this cart (commercetools Checkout), deducted from the amount to pay. */
  giftCardPlannedAmount?: { centAmount: number; currencyCode: string };
  allowedPaymentMethods?: string[];
}
