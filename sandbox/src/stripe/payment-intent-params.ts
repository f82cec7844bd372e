/** What each PaymentIntent call accepts, as of API version 2026-10-28 (Stripe refuses anything else). */

export const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
export const SUPPORTED_TYPES = ['card', 'sepa_debit', 'ideal'];
/** What `automatic_payment_methods` enables in the sandbox account. */
export const AUTOMATIC_TYPES = ['card', 'sepa_debit', 'ideal'];
/** Parameters every PaymentIntent call accepts besides its own (Stripe.js adds `key` and `client_secret`). */
export const COMMON = ['expand', 'key', 'client_secret'];
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
export const CREATE_PARAMS = [
  ...CONFIRM_PARAMS,
  'amount',
  'currency',
  'allowed_payment_method_types',
  'automatic_payment_methods',
  'confirm',
  'customer',
  'description',
  'metadata',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'transfer_group',
];
export const UPDATE_PARAMS = [
  ...COMMON,
  'amount',
  'allowed_payment_method_types',
  'capture_method',
  'currency',
  'customer',
  'description',
  'metadata',
  'payment_method',
  'payment_method_data',
  'payment_method_options',
  'receipt_email',
  'setup_future_usage',
  'shipping',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'transfer_group',
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
