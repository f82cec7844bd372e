/** What a checkout session tells the processor (from the commercetools Session API). */
export interface CheckoutContext {
  cartId: string;
  checkoutTransactionItemId?: string;
  paymentInterface?: string;
  merchantReturnUrl?: string;
  futureOrderNumber?: string;
  allowedPaymentMethods?: string[];
}
