import { EVIDENCE_FIELDS } from '../evidence';

/**
 * Every `/v1` endpoint the emulator serves, the `stripe` package's params interface that says what
 * Stripe accepts there, and what of it the emulator acts on.
 *
 * `emulated` lists parameter paths in the schema's bracket notation (`[]` for the items of an
 * array): a path covers itself and everything under it; `path=a|b` covers only those values.
 * A parameter Stripe accepts that no entry covers answers 400 `parameter_not_emulated`, so a
 * request the sandbox would silently answer differently from Stripe fails loudly instead.
 * `expand` is accepted everywhere, as Stripe accepts it on every endpoint (on lists and search
 * results the emulator does not expand `data.*` paths).
 */

export interface EndpointSpec {
  /** The params interface of the `stripe` package (`Stripe.<name>`) for this call. */
  params: string;
  emulated: readonly string[];
  /** Parameters whose empty value the emulator does unset (besides metadata entries). */
  unsets?: readonly string[];
  /**
   * What Stripe.js sends with the publishable key beyond the published parameters (the OpenAPI
   * spec, and so the types, leave them out), in the schema's kind notation. Only browser calls
   * may send them.
   */
  browser?: Readonly<Record<string, string>>;
}

const PAGE = ['limit', 'starting_after', 'ending_before', 'created'];
const SEARCH = ['query', 'limit', 'page'];
const ADDRESS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'];
/** What a PaymentMethod is made from: `payment_method_data` and `POST /v1/payment_methods`. */
const METHOD_DATA = [
  // Whether a saved method may be shown again (the Payment Element's saved cards).
  'allow_redisplay',
  ...ADDRESS.map((field) => `billing_details[address][${field}]`),
  'billing_details[email]',
  'billing_details[name]',
  'billing_details[phone]',
  'sepa_debit[iban]',
  'ideal[bank]',
  'metadata',
];
/** Server calls cannot send card numbers (the API's list of types has no card); Stripe.js can. */
const methodData = (prefix: string) => [
  `${prefix}[type]=sepa_debit|ideal`,
  ...METHOD_DATA.map((path) => path.replace(/^(\w+)/, `${prefix}[$1]`)),
];
/** The parameters a PaymentIntent confirmation acts on, on create (with `confirm`) and on confirm. */
const CONFIRMING = [
  'capture_method',
  'error_on_requires_action',
  // Taken as the mandate Stripe records; no Mandate object is made.
  'mandate_data',
  'off_session',
  'payment_method',
  ...methodData('payment_method_data'),
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'shipping',
  'use_stripe_sdk',
];

/** Card details Stripe.js sends from the Payment Element (a secret key may not send raw card numbers). */
const BROWSER_CARD = {
  'payment_method_data[type]': '+enum(card)',
  'payment_method_data[card]': 'hash',
  'payment_method_data[card][number]': 'string required',
  'payment_method_data[card][exp_month]': 'number required',
  'payment_method_data[card][exp_year]': 'number required',
  'payment_method_data[card][cvc]': 'string',
  // The Payment Element accepts a SEPA mandate for the shopper: the browser's IP and user agent are Stripe's to read.
  'mandate_data[customer_acceptance][online][infer_from_client]': 'boolean',
};

export const ENDPOINTS: Readonly<Record<string, EndpointSpec>> = {
  'POST /v1/payment_intents': {
    params: 'PaymentIntentCreateParams',
    emulated: [
      'amount',
      'currency',
      'allowed_payment_method_types',
      'automatic_payment_methods[enabled]',
      'confirm',
      'customer',
      'description',
      'metadata',
      'payment_method_options[card][request_multicapture]',
      'statement_descriptor',
      'statement_descriptor_suffix',
      'transfer_group',
      ...CONFIRMING,
    ],
  },
  'GET /v1/payment_intents': { params: 'PaymentIntentListParams', emulated: [...PAGE, 'customer'] },
  'GET /v1/payment_intents/search': { params: 'PaymentIntentSearchParams', emulated: SEARCH },
  'GET /v1/payment_intents/:id': { params: 'PaymentIntentRetrieveParams', emulated: ['client_secret'] },
  'POST /v1/payment_intents/:id': {
    params: 'PaymentIntentUpdateParams',
    emulated: [
      'amount',
      'allowed_payment_method_types',
      'capture_method',
      'currency',
      'customer',
      'description',
      'metadata',
      'payment_method',
      ...methodData('payment_method_data'),
      'payment_method_options[card][request_multicapture]',
      'receipt_email',
      'setup_future_usage',
      'shipping',
    ],
  },
  'POST /v1/payment_intents/:id/confirm': {
    params: 'PaymentIntentConfirmParams',
    emulated: CONFIRMING,
    browser: {
      client_secret: 'string required',
      expected_payment_method_type: 'string',
      ...BROWSER_CARD,
    },
  },
  'POST /v1/payment_intents/:id/capture': {
    params: 'PaymentIntentCaptureParams',
    emulated: ['amount_to_capture', 'final_capture', 'metadata'],
  },
  'POST /v1/payment_intents/:id/cancel': { params: 'PaymentIntentCancelParams', emulated: ['cancellation_reason'] },

  'GET /v1/charges': { params: 'ChargeListParams', emulated: [...PAGE, 'customer', 'payment_intent'] },
  'GET /v1/charges/search': { params: 'ChargeSearchParams', emulated: SEARCH },
  'GET /v1/charges/:id': { params: 'ChargeRetrieveParams', emulated: [] },
  'POST /v1/charges/:id': { params: 'ChargeUpdateParams', emulated: ['description', 'metadata'] },

  'POST /v1/refunds': {
    params: 'RefundCreateParams',
    emulated: ['amount', 'charge', 'payment_intent', 'metadata', 'reason'],
  },
  'GET /v1/refunds': { params: 'RefundListParams', emulated: [...PAGE, 'charge', 'payment_intent'] },
  'GET /v1/refunds/:id': { params: 'RefundRetrieveParams', emulated: [] },
  'POST /v1/refunds/:id': { params: 'RefundUpdateParams', emulated: ['metadata'] },
  'POST /v1/refunds/:id/cancel': { params: 'RefundCancelParams', emulated: [] },

  'GET /v1/disputes': { params: 'DisputeListParams', emulated: [...PAGE, 'charge', 'payment_intent'] },
  'GET /v1/disputes/:id': { params: 'DisputeRetrieveParams', emulated: [] },
  'POST /v1/disputes/:id': {
    params: 'DisputeUpdateParams',
    emulated: [...EVIDENCE_FIELDS.map((field) => `evidence[${field}]`), 'metadata', 'submit'],
  },
  'POST /v1/disputes/:id/close': { params: 'DisputeCloseParams', emulated: [] },

  'GET /v1/balance': { params: 'BalanceRetrieveParams', emulated: [] },
  'GET /v1/balance_transactions': { params: 'BalanceTransactionListParams', emulated: [...PAGE, 'source', 'type'] },
  'GET /v1/balance_transactions/:id': { params: 'BalanceTransactionRetrieveParams', emulated: [] },

  'POST /v1/customers': {
    params: 'CustomerCreateParams',
    emulated: ['address', 'description', 'email', 'metadata', 'name', 'payment_method', 'phone', 'shipping'],
  },
  'GET /v1/customers': { params: 'CustomerListParams', emulated: [...PAGE, 'email'] },
  'GET /v1/customers/search': { params: 'CustomerSearchParams', emulated: SEARCH },
  'GET /v1/customers/:id': { params: 'CustomerRetrieveParams', emulated: [] },
  'POST /v1/customers/:id': {
    params: 'CustomerUpdateParams',
    emulated: [
      'address',
      'description',
      'email',
      'invoice_settings[default_payment_method]',
      'metadata',
      'name',
      'phone',
      'shipping',
    ],
    unsets: ['address', 'shipping'],
  },
  'DELETE /v1/customers/:id': { params: 'CustomerDeleteParams', emulated: [] },
  'GET /v1/customers/:id/payment_methods': {
    params: 'CustomerListPaymentMethodsParams',
    emulated: ['limit', 'starting_after', 'ending_before', 'type'],
  },
  'POST /v1/customer_sessions': { params: 'CustomerSessionCreateParams', emulated: ['components', 'customer'] },

  'POST /v1/payment_methods': {
    params: 'PaymentMethodCreateParams',
    emulated: [
      'type=card|sepa_debit|ideal',
      ...METHOD_DATA,
      'card[number]',
      'card[exp_month]',
      'card[exp_year]',
      'card[cvc]',
      'card[token]',
    ],
  },
  'GET /v1/payment_methods': {
    params: 'PaymentMethodListParams',
    emulated: ['limit', 'starting_after', 'ending_before', 'customer', 'type'],
  },
  'GET /v1/payment_methods/:id': { params: 'PaymentMethodRetrieveParams', emulated: [] },
  'POST /v1/payment_methods/:id/attach': { params: 'PaymentMethodAttachParams', emulated: ['customer'] },
  'POST /v1/payment_methods/:id/detach': { params: 'PaymentMethodDetachParams', emulated: [] },

  'POST /v1/webhook_endpoints': {
    params: 'WebhookEndpointCreateParams',
    // Events are built in the pinned version only.
    emulated: ['api_version=2026-10-28.endive', 'description', 'enabled_events', 'metadata', 'url'],
  },
  'GET /v1/webhook_endpoints': {
    params: 'WebhookEndpointListParams',
    emulated: ['limit', 'starting_after', 'ending_before'],
  },
  'GET /v1/webhook_endpoints/:id': { params: 'WebhookEndpointRetrieveParams', emulated: [] },
  'POST /v1/webhook_endpoints/:id': {
    params: 'WebhookEndpointUpdateParams',
    emulated: ['description', 'disabled', 'enabled_events', 'metadata', 'url'],
  },
  'DELETE /v1/webhook_endpoints/:id': { params: 'WebhookEndpointDeleteParams', emulated: [] },

  'POST /v1/payment_method_domains': {
    params: 'PaymentMethodDomainCreateParams',
    emulated: ['domain_name', 'enabled'],
  },
  'GET /v1/payment_method_domains': {
    params: 'PaymentMethodDomainListParams',
    emulated: ['limit', 'starting_after', 'ending_before', 'domain_name', 'enabled'],
  },
  'GET /v1/payment_method_domains/:id': { params: 'PaymentMethodDomainRetrieveParams', emulated: [] },
  'POST /v1/payment_method_domains/:id': { params: 'PaymentMethodDomainUpdateParams', emulated: ['enabled'] },
  'POST /v1/payment_method_domains/:id/validate': { params: 'PaymentMethodDomainValidateParams', emulated: [] },

  'GET /v1/events': {
    params: 'EventListParams',
    emulated: [...PAGE, 'delivery_success', 'type', 'types'],
  },
  'GET /v1/events/:id': { params: 'EventRetrieveParams', emulated: [] },
};
