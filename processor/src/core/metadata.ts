/** How the connector marks what it writes at Stripe and in commercetools. */

export const PAYMENT_INTERFACE = 'stripe';

/** Keys of the PaymentIntent metadata that link it to commercetools (set at creation, D04). */
export const METADATA = {
  /** The commercetools payment's id: PaymentIntents made after their payment (Checkout's transactions). */
  paymentId: 'ct_payment_id',
  /**
   * The commercetools payment's key: PaymentIntents made at the same time as their payment
   * (`POST /payments`), whose id is not known yet. The key is unique in the project.
   */
  paymentKey: 'ct_payment_key',
  cartId: 'ct_cart_id',
  projectKey: 'ct_project_key',
  checkoutTransactionItemId: 'ct_checkout_transaction_item_id',
  /** The order number the session reserved (`futureOrderNumber`), used when the order is created. */
  orderNumber: 'ct_order_number',
  /** What the session said a gift card pays of the cart (minor units of the cart's currency). */
  giftCardPlanned: 'ct_gift_card_planned',
  /** A part of the cart the caller asked this payment to pay (commercetools Checkout's transactions). */
  amountAsked: 'ct_amount_asked',
  /** On refunds: the capture (commercetools Charge transaction) a refund was asked against. */
  transactionId: 'ct_transaction_id',
  /** On refunds: the operation request (recorded on the commercetools payment) that asked for it. */
  operation: 'ct_operation',
  /** On PaymentIntents and Stripe customers: the commercetools customer paying (saved methods). */
  customerId: 'ct_customer_id',
  /** On PaymentIntents of a recurring cart (`1`): the saved method gets a recurring payment job. */
  recurring: 'ct_recurring',
  /** On refunds the connector makes on its own: why (`cart_changed`). */
  reason: 'ct_reason',
} as const;

/** How a PaymentIntent names its commercetools payment: by id, or by key. */
export type PaymentName = { id: string; key?: undefined } | { key: string; id?: undefined };

/** The commercetools payment a PaymentIntent's metadata names, if any (the id wins when both are there). */
export function namedPayment(metadata: Readonly<Record<string, string>> | null | undefined): PaymentName | undefined {
  const id = metadata?.[METADATA.paymentId];
  if (id) return { id };
  const key = metadata?.[METADATA.paymentKey];
  return key ? { key } : undefined;
}

/** Whether a PaymentIntent's metadata names this commercetools payment. */
export function namesPayment(
  metadata: Readonly<Record<string, string>> | null | undefined,
  payment: { id: string; key?: string | undefined },
): boolean {
  const named = namedPayment(metadata);
  if (!named) return false;
  return named.id !== undefined ? named.id === payment.id : named.key === payment.key;
}

/** A name for logs and reports: the id, or `key=…`. */
export const describePaymentName = (named: PaymentName): string => named.id ?? `key=${named.key}`;

/** The connector's commercetools type on customers: the Stripe customer of the customer. */
export const CUSTOMER_TYPE_KEY = 'stripe-connector-customer';
export const STRIPE_CUSTOMER_FIELD = 'stripeCustomerId';
