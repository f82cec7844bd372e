/**
 * PaymentIntent facts the handlers use. What each call accepts is checked before them, for every
 * `/v1` route, against the parameter schema generated from the stripe package (params/).
 */

export const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
/** `link` is accepted as an allowed type (the Express Checkout Element's); no Link payment method is emulated. */
export const SUPPORTED_TYPES = ['card', 'sepa_debit', 'ideal', 'link'];
/** What `automatic_payment_methods` enables in the sandbox account. */
export const AUTOMATIC_TYPES = ['card', 'sepa_debit', 'ideal'];
/** Parameters every PaymentIntent call accepts besides its own (Stripe.js adds `key` and `client_secret`). */
export const COMMON = ['expand', 'key', 'client_secret'];
/** The parameters of a create that a `confirm: true` hands on to the confirmation. */
export const CONFIRM_PARAMS = [
  ...COMMON,
  'capture_method',
  'error_on_requires_action',
  'expected_payment_method_type',
  'mandate_data',
  'off_session',
  'payment_method',
  'payment_method_data',
  'payment_method_options',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'shipping',
  'use_stripe_sdk',
];
/** Fields a publishable key may read (Stripe's "retrievable with publishable key"). */
export const BROWSER_FIELDS = [
  'id',
  'object',
  'amount',
  'automatic_payment_methods',
  'canceled_at',
  'cancellation_reason',
  'capture_method',
  'client_secret',
  'confirmation_method',
  'created',
  'currency',
  'description',
  'last_payment_error',
  'livemode',
  'next_action',
  'payment_method',
  'payment_method_types',
  'processing',
  'receipt_email',
  'setup_future_usage',
  'shipping',
  'status',
] as const;
