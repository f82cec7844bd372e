import type Stripe from 'stripe';

/**
 * The error object of a failed call as it travels on the wire: stripe-node's raw error without
 * what stripe-node adds itself after parsing (headers, status, request id, its own exceptions).
 */
type WireError = Omit<Stripe.StripeRawError, 'headers' | 'statusCode' | 'requestId' | 'detail' | 'exception'>;

/** What the emulator's objects are: events about anything else would carry an object it never makes. */
type EmulatedObject =
  Stripe.PaymentIntent | Stripe.Charge | Stripe.Refund | Stripe.Dispute | Stripe.Customer | Stripe.PaymentMethod;

/** Every event type about those objects (a union discriminated by `type`). */
type EmulatedEvent = Extract<Stripe.Event, { data: { object: EmulatedObject } }>;

/**
 * The fields of a PaymentIntent a publishable key may read with the client secret (Stripe's
 * "retrievable with publishable key"); the emulator's `BROWSER_FIELDS` must answer exactly these.
 */
type BrowserField =
  | 'id'
  | 'object'
  | 'amount'
  | 'automatic_payment_methods'
  | 'canceled_at'
  | 'cancellation_reason'
  | 'capture_method'
  | 'client_secret'
  | 'confirmation_method'
  | 'created'
  | 'currency'
  | 'description'
  | 'last_payment_error'
  | 'livemode'
  | 'next_action'
  | 'payment_method'
  | 'payment_method_types'
  | 'processing'
  | 'receipt_email'
  | 'setup_future_usage'
  | 'shipping'
  | 'status';

/**
 * Every shape the Stripe emulator answers or delivers, by schema name: the generator builds one
 * JSON Schema per property from its type. Resources named here are described in full; any other
 * Stripe resource they reach (an Account, a Review...) is one the emulator never produces, and
 * is checked only by its `object` tag.
 */
export interface StripeShapes {
  PaymentIntent: Stripe.PaymentIntent;
  /** What a publishable key (with the client secret) sees of a PaymentIntent. */
  PaymentIntentBrowserView: Pick<Stripe.PaymentIntent, BrowserField>;
  Charge: Stripe.Charge;
  Refund: Stripe.Refund;
  Dispute: Stripe.Dispute;
  Customer: Stripe.Customer;
  DeletedCustomer: Stripe.DeletedCustomer;
  CustomerSession: Stripe.CustomerSession;
  PaymentMethod: Stripe.PaymentMethod;
  WebhookEndpoint: Stripe.WebhookEndpoint;
  DeletedWebhookEndpoint: Stripe.DeletedWebhookEndpoint;
  PaymentMethodDomain: Stripe.PaymentMethodDomain;
  BalanceTransaction: Stripe.BalanceTransaction;
  Balance: Stripe.Balance;
  /** As listed and as delivered to webhooks. */
  Event: EmulatedEvent;
  PaymentIntentList: Stripe.ApiList<Stripe.PaymentIntent>;
  ChargeList: Stripe.ApiList<Stripe.Charge>;
  RefundList: Stripe.ApiList<Stripe.Refund>;
  DisputeList: Stripe.ApiList<Stripe.Dispute>;
  CustomerList: Stripe.ApiList<Stripe.Customer>;
  PaymentMethodList: Stripe.ApiList<Stripe.PaymentMethod>;
  WebhookEndpointList: Stripe.ApiList<Stripe.WebhookEndpoint>;
  PaymentMethodDomainList: Stripe.ApiList<Stripe.PaymentMethodDomain>;
  BalanceTransactionList: Stripe.ApiList<Stripe.BalanceTransaction>;
  EventList: Stripe.ApiList<EmulatedEvent>;
  PaymentIntentSearchResult: Stripe.ApiSearchResult<Stripe.PaymentIntent>;
  ChargeSearchResult: Stripe.ApiSearchResult<Stripe.Charge>;
  CustomerSearchResult: Stripe.ApiSearchResult<Stripe.Customer>;
  /** The body of every error answer. */
  Error: { error: WireError };
}
