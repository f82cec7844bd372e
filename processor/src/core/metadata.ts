/** How the connector marks what it writes at Stripe and in commercetools. */

export const PAYMENT_INTERFACE = 'stripe';

/** Keys of the PaymentIntent metadata that link it to commercetools (set at creation, D04). */
export const METADATA = {
  paymentId: 'ct_payment_id',
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

/** The connector's commercetools type on customers: the Stripe customer of the customer. */
export const CUSTOMER_TYPE_KEY = 'stripe-connector-customer';
export const STRIPE_CUSTOMER_FIELD = 'stripeCustomerId';
