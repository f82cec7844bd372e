import type Stripe from 'stripe';
import { invalid, missing, unexpectedState } from './errors';
import { shippingParam } from './addresses';
import { bool, int, list, metadata, obj, oneOf, str, type Params } from './form';
import { newId, nowSeconds, randomToken } from './ids';
import type { PaymentFlow } from './payment-flow';
import {
  AUTOMATIC_TYPES,
  BROWSER_FIELDS,
  CAPTURE_METHODS,
  CONFIRM_PARAMS,
  SUPPORTED_TYPES,
} from './payment-intent-params';
import type { PaymentMethods } from './payment-methods';
import type { EmulatorState } from './state';

type Status = Stripe.PaymentIntent.Status;

/** Statuses in which the payment details (amount, method, capture method...) may still change. */
const UNPAID: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export class PaymentIntents {
  /** Set once the payment flow is built (the two need each other). */
  flow!: PaymentFlow;

  constructor(
    private readonly state: EmulatorState,
    private readonly methods: PaymentMethods,
  ) {}

  get(id: string): Stripe.PaymentIntent {
    const pi = this.state.paymentIntents.get(id);
    if (!pi) throw missing('payment_intent', id, 'intent');
    return pi;
  }

  /** A publishable key sees only a subset of the PaymentIntent. */
  static browserView(pi: Stripe.PaymentIntent): Partial<Stripe.PaymentIntent> {
    return Object.fromEntries(BROWSER_FIELDS.map((field) => [field, structuredClone(pi[field])]));
  }

  private types(params: Params): string[] | undefined {
    const types = list(params, 'allowed_payment_method_types');
    if (!types) return undefined;
    if (types.length === 0)
      throw invalid('allowed_payment_method_types must contain at least one type.', 'allowed_payment_method_types');
    for (const type of types) {
      if (!SUPPORTED_TYPES.includes(type)) {
        throw invalid(
          `The payment method type "${type}" is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.`,
          'allowed_payment_method_types',
          'payment_intent_invalid_parameter',
        );
      }
    }
    return types;
  }

  /** Minimum, maximum and currency rules are checked before (params/money.ts). */
  private amount(params: Params, required: boolean): number | undefined {
    return int(params, 'amount', { required, min: 1 });
  }

  private multicapture(params: Params): 'if_available' | 'never' | undefined {
    const card = obj(obj(params, 'payment_method_options') ?? {}, 'card');
    return card ? oneOf(card, 'request_multicapture', ['if_available', 'never'] as const) : undefined;
  }

  private customer(params: Params): string | undefined {
    const customer = str(params, 'customer');
    if (customer && !this.state.customers.has(customer)) throw missing('customer', customer, 'customer');
    return customer;
  }

  create(params: Params): Stripe.PaymentIntent {
    const currency = str(params, 'currency', { required: true })!.toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}.`, 'currency');
    const amount = this.amount(params, true)!;
    const automatic = obj(params, 'automatic_payment_methods');
    const types = this.types(params);
    if (automatic && types) {
      throw invalid(
        'You may only specify one of these parameters: allowed_payment_method_types, automatic_payment_methods.',
        'automatic_payment_methods',
        'parameters_exclusive',
      );
    }
    const confirm = bool(params, 'confirm') ?? false;
    for (const name of ['off_session', 'error_on_requires_action', 'return_url', 'use_stripe_sdk', 'mandate_data']) {
      if (params[name] !== undefined && !confirm)
        throw invalid(`You may only specify ${name} when confirming the PaymentIntent (confirm=true).`, name);
    }
    const multicapture = this.multicapture(params);
    const id = newId('pi');
    const pi: Stripe.PaymentIntent = {
      id,
      object: 'payment_intent',
      allowed_payment_method_types: (types ?? null) as Stripe.PaymentIntent['allowed_payment_method_types'],
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: types
        ? null
        : { enabled: automatic ? bool(automatic, 'enabled') !== false : true, allow_redirects: 'always' },
      canceled_at: null,
      cancellation_reason: null,
      capture_method: oneOf(params, 'capture_method', CAPTURE_METHODS) ?? 'automatic_async',
      client_secret: `${id}_secret_${randomToken(25)}`,
      confirmation_method: 'automatic',
      created: nowSeconds(),
      currency,
      customer: this.customer(params) ?? null,
      customer_account: null,
      description: str(params, 'description') ?? null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata: metadata(params) ?? {},
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options: {
        card: {
          installments: null,
          mandate_options: null,
          network: null,
          request_three_d_secure: 'automatic',
          ...(multicapture ? { request_multicapture: multicapture } : {}),
        } as Stripe.PaymentIntent.PaymentMethodOptions.Card,
      },
      payment_method_types: types ?? AUTOMATIC_TYPES.slice(),
      payment_record: null,
      processing: null,
      receipt_email: str(params, 'receipt_email') ?? null,
      review: null,
      setup_future_usage: oneOf(params, 'setup_future_usage', ['on_session', 'off_session'] as const) ?? null,
      shipping: shippingParam(params) ?? null,
      source: null,
      statement_descriptor: str(params, 'statement_descriptor', { max: 22 }) ?? null,
      statement_descriptor_suffix: str(params, 'statement_descriptor_suffix', { max: 22 }) ?? null,
      status: 'requires_payment_method',
      transfer_group: str(params, 'transfer_group') ?? null,
    };
    this.attachMethod(pi, params);
    this.state.paymentIntents.set(id, pi);
    this.state.emit('payment_intent.created', pi);
    if (!confirm) return pi;
    const confirmParams = Object.fromEntries(
      // The payment method is already attached: a token must not become a second PaymentMethod.
      Object.entries(params).filter(
        ([name]) => CONFIRM_PARAMS.includes(name) && name !== 'payment_method' && name !== 'payment_method_data',
      ),
    );
    return this.flow.confirm(pi, confirmParams);
  }

  /** `payment_method` or `payment_method_data` given on create or update. */
  private attachMethod(pi: Stripe.PaymentIntent, params: Params): void {
    const pmId = str(params, 'payment_method');
    const data = obj(params, 'payment_method_data');
    if (pmId && data)
      throw invalid(
        'You may only specify one of these parameters: payment_method, payment_method_data.',
        'payment_method_data',
      );
    const pm = pmId ? this.methods.resolve(pmId) : data ? this.methods.create(data, 'payment_method_data') : undefined;
    if (!pm) return;
    pi.payment_method = pm.id;
    if (pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
  }

  update(id: string, params: Params): Stripe.PaymentIntent {
    const pi = this.get(id);
    const touchesPayment = ['amount', 'currency', 'payment_method', 'payment_method_data', 'capture_method'].some(
      (name) => params[name] !== undefined,
    );
    const changesType = params.allowed_payment_method_types !== undefined;
    if ((touchesPayment || changesType) && !UNPAID.includes(pi.status)) throw unexpectedState(pi, 'update', UNPAID);
    if (pi.status === 'canceled' || pi.status === 'processing') {
      // Only descriptive fields of a finished or settling PaymentIntent can change.
      const allowed = ['metadata', 'description', 'expand', 'key', 'client_secret'];
      if (Object.keys(params).some((name) => !allowed.includes(name))) throw unexpectedState(pi, 'update', UNPAID);
    }
    const currency = str(params, 'currency')?.toLowerCase();
    if (currency) pi.currency = currency;
    const amount = this.amount(params, false);
    if (amount !== undefined) pi.amount = amount;
    const types = this.types(params);
    if (types) {
      pi.allowed_payment_method_types = types as Stripe.PaymentIntent['allowed_payment_method_types'];
      pi.payment_method_types = types;
      pi.automatic_payment_methods = null;
    }
    const captureMethod = oneOf(params, 'capture_method', CAPTURE_METHODS);
    if (captureMethod) pi.capture_method = captureMethod;
    const customer = this.customer(params);
    if (customer) pi.customer = customer;
    const meta = metadata(params, pi.metadata);
    if (meta) pi.metadata = meta;
    const description = str(params, 'description');
    if (description !== undefined) pi.description = description;
    const receiptEmail = str(params, 'receipt_email');
    if (receiptEmail !== undefined) pi.receipt_email = receiptEmail;
    const shipping = shippingParam(params);
    if (shipping !== undefined) pi.shipping = shipping;
    const sfu = oneOf(params, 'setup_future_usage', ['on_session', 'off_session'] as const);
    if (sfu) pi.setup_future_usage = sfu;
    const multicapture = this.multicapture(params);
    if (multicapture && pi.payment_method_options?.card)
      pi.payment_method_options.card.request_multicapture = multicapture;
    if (touchesPayment && pi.status === 'requires_action') {
      // Changing what is paid abandons the pending authentication.
      pi.status = pi.payment_method ? 'requires_confirmation' : 'requires_payment_method';
      pi.next_action = null;
    }
    this.attachMethod(pi, params);
    return pi;
  }

  list(params: Params): Stripe.PaymentIntent[] {
    const customer = str(params, 'customer');
    return [...this.state.paymentIntents.values()].filter((pi) => !customer || pi.customer === customer);
  }
}
