import type Stripe from 'stripe';
import { createCharge, paymentMethodObject } from './charges';
import { invalid, missing, StripeApiError, unexpectedState } from './errors';
import { allowOnly, bool, int, list, metadata, obj, oneOf, str, type Params } from './form';
import { newId, nowSeconds, randomToken } from './ids';
import type { EmulatorState } from './state';
import { TEST_METHODS, type TestMethod } from './test-methods';

type Status = Stripe.PaymentIntent.Status;
type Emit = (type: string, object: { id: string }, previous?: Record<string, unknown>) => void;

const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
const CANCEL_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
const CONFIRMABLE: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly Status[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
];
const AUTOMATIC_TYPES = ['card', 'sepa_debit', 'ideal'];
const MAX_CAPTURES = 50;
/** Parameters every PaymentIntent call accepts besides its own (stripe-node and Stripe.js add these). */
const COMMON = ['expand', 'key', 'client_secret'];
const CREATE_PARAMS = [
  ...COMMON,
  'amount',
  'currency',
  'allowed_payment_method_types',
  'automatic_payment_methods',
  'capture_method',
  'confirm',
  'customer',
  'description',
  'metadata',
  'payment_method',
  'payment_method_options',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'shipping',
  'statement_descriptor_suffix',
];
const UPDATE_PARAMS = [
  ...COMMON,
  'amount',
  'allowed_payment_method_types',
  'description',
  'metadata',
  'payment_method',
  'receipt_email',
  'shipping',
  'setup_future_usage',
];
const CONFIRM_PARAMS = [
  ...COMMON,
  'payment_method',
  'return_url',
  'allowed_payment_method_types',
  'receipt_email',
  'shipping',
  'setup_future_usage',
  'use_stripe_sdk',
  'payment_method_data',
];
/** Smallest chargeable amounts (Stripe's minimums, in minor units) for common currencies. */
const MINIMUM: Record<string, number> = { usd: 50, eur: 50, gbp: 30, chf: 50, jpy: 50, cad: 50, aud: 50 };

export interface PaymentIntentOptions {
  /** Base URL of the emulator as the browser reaches it (for next_action URLs). */
  baseUrl: () => string;
  asyncSettleDelayMs?: number;
}

export class PaymentIntents {
  constructor(
    private readonly state: EmulatorState,
    private readonly emit: Emit,
    private readonly options: PaymentIntentOptions,
  ) {}

  get(id: string): Stripe.PaymentIntent {
    const pi = this.state.paymentIntents.get(id);
    if (!pi) throw missing('payment_intent', id, 'intent');
    return pi;
  }

  resolveMethod(id: string): TestMethod {
    const known = TEST_METHODS[id];
    if (known) return known;
    const created = this.state.paymentMethods.get(id);
    const base = created ? TEST_METHODS[(created.metadata as Record<string, string>).test_method ?? ''] : undefined;
    if (!created || !base) throw missing('PaymentMethod', id, 'payment_method');
    return { ...base, id };
  }

  private allowedTypes(params: Params): string[] | undefined {
    const types = list(params, 'allowed_payment_method_types');
    if (types && types.length === 0)
      throw invalid('allowed_payment_method_types must not be empty.', 'allowed_payment_method_types');
    return types;
  }

  create(params: Params): Stripe.PaymentIntent {
    allowOnly(params, CREATE_PARAMS);
    const amount = int(params, 'amount', { required: true, min: 1 })!;
    const currency = str(params, 'currency', { required: true })!.toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}.`, 'currency');
    const minimum = MINIMUM[currency];
    if (minimum && amount < minimum) {
      throw new StripeApiError(400, 'invalid_request_error', `Amount must be at least ${minimum} ${currency}`, {
        code: 'amount_too_small',
        param: 'amount',
      });
    }
    const automatic = obj(params, 'automatic_payment_methods');
    const types = this.allowedTypes(params);
    if (automatic && types) {
      throw invalid(
        'You may only specify one of these parameters: automatic_payment_methods, allowed_payment_method_types.',
        'automatic_payment_methods',
        'parameters_exclusive',
      );
    }
    const customer = str(params, 'customer');
    if (customer && !this.state.customers.has(customer)) throw missing('customer', customer, 'customer');
    const cardOptions = obj(obj(params, 'payment_method_options') ?? {}, 'card');
    const multicapture = cardOptions
      ? oneOf(cardOptions, 'request_multicapture', ['if_available', 'never'] as const)
      : undefined;
    const id = newId('pi');
    const pi = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      allowed_payment_method_types: types ?? null,
      application_fee_amount: null,
      automatic_payment_methods: types
        ? null
        : { enabled: automatic ? bool(automatic, 'enabled') !== false : true, allow_redirects: 'always' },
      canceled_at: null,
      cancellation_reason: null,
      capture_method: oneOf(params, 'capture_method', CAPTURE_METHODS) ?? 'automatic_async',
      client_secret: `${id}_secret_${randomToken(24)}`,
      confirmation_method: 'automatic',
      created: nowSeconds(),
      currency,
      customer: customer ?? null,
      description: str(params, 'description') ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: metadata(params) ?? {},
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_options: {
        card: { request_three_d_secure: 'automatic', ...(multicapture ? { request_multicapture: multicapture } : {}) },
      },
      payment_method_types: types ?? AUTOMATIC_TYPES.slice(),
      processing: null,
      receipt_email: str(params, 'receipt_email') ?? null,
      review: null,
      setup_future_usage: oneOf(params, 'setup_future_usage', ['on_session', 'off_session'] as const) ?? null,
      shipping: (obj(params, 'shipping') as Stripe.PaymentIntent.Shipping | undefined) ?? null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    } as unknown as Stripe.PaymentIntent;
    const pm = str(params, 'payment_method');
    if (pm) {
      this.resolveMethod(pm);
      pi.payment_method = pm;
      pi.status = 'requires_confirmation';
    }
    this.state.paymentIntents.set(id, pi);
    this.emit('payment_intent.created', pi);
    if (bool(params, 'confirm')) {
      const confirmParams = Object.fromEntries(
        Object.entries(params).filter(
          ([name]) => CONFIRM_PARAMS.includes(name) && name !== 'allowed_payment_method_types',
        ),
      );
      return this.confirm(id, confirmParams);
    }
    return pi;
  }

  update(id: string, params: Params): Stripe.PaymentIntent {
    allowOnly(params, UPDATE_PARAMS);
    const pi = this.get(id);
    if (['succeeded', 'canceled', 'processing'].includes(pi.status)) {
      throw unexpectedState('PaymentIntent', pi.status, 'update', [
        'requires_payment_method',
        'requires_confirmation',
        'requires_action',
        'requires_capture',
      ]);
    }
    const amount = int(params, 'amount', { min: 1 });
    if (amount !== undefined && amount !== pi.amount) {
      // The amount is fixed once a payment was authorized.
      if (pi.status === 'requires_capture')
        throw invalid(
          'You cannot update the amount of a PaymentIntent that has been authorized.',
          'amount',
          'payment_intent_unexpected_state',
        );
      pi.amount = amount;
    }
    const types = this.allowedTypes(params);
    if (types) {
      if (pi.status === 'requires_capture')
        throw invalid(
          'You cannot change the payment method types of an authorized PaymentIntent.',
          'allowed_payment_method_types',
          'payment_intent_unexpected_state',
        );
      pi.allowed_payment_method_types = types as Stripe.PaymentIntent['allowed_payment_method_types'];
      pi.payment_method_types = types;
      pi.automatic_payment_methods = null;
    }
    const meta = metadata(params, pi.metadata);
    if (meta) pi.metadata = meta;
    const description = str(params, 'description');
    if (description !== undefined) pi.description = description;
    const shipping = obj(params, 'shipping');
    if (shipping) pi.shipping = shipping as unknown as Stripe.PaymentIntent.Shipping;
    const pm = str(params, 'payment_method');
    if (pm) {
      this.resolveMethod(pm);
      pi.payment_method = pm;
      if (pi.status === 'requires_payment_method') pi.status = 'requires_confirmation';
    }
    return pi;
  }

  confirm(id: string, params: Params): Stripe.PaymentIntent {
    allowOnly(params, CONFIRM_PARAMS);
    const pi = this.get(id);
    if (!CONFIRMABLE.includes(pi.status)) throw unexpectedState('PaymentIntent', pi.status, 'confirm', CONFIRMABLE);
    const pmId =
      str(params, 'payment_method') ?? (typeof pi.payment_method === 'string' ? pi.payment_method : undefined);
    if (!pmId) {
      throw invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, specify a payment method.",
        'payment_method',
        'payment_intent_unexpected_state',
      );
    }
    const method = this.resolveMethod(pmId);
    if (!pi.payment_method_types.includes(method.type)) {
      throw invalid(
        `The PaymentMethod provided (${method.type}) is not allowed for this PaymentIntent. Allowed: ${pi.payment_method_types.join(', ')}.`,
        'payment_method',
        'payment_intent_invalid_parameter',
      );
    }
    if (method.type !== 'card' && pi.capture_method === 'manual') {
      throw invalid(
        `The payment method type ${method.type} does not support manual capture.`,
        'capture_method',
        'payment_intent_invalid_parameter',
      );
    }
    const returnUrl = str(params, 'return_url');
    if (method.behaviour.kind === 'redirect' && !returnUrl) {
      throw invalid(
        'A return_url is required to confirm this PaymentIntent with a redirect-based payment method.',
        'return_url',
        'parameter_missing',
      );
    }
    pi.payment_method = method.id;
    pi.last_payment_error = null;
    pi.next_action = null;
    const customer = typeof pi.customer === 'string' ? pi.customer : null;
    if (customer && pi.setup_future_usage) {
      this.state.paymentMethods.set(method.id, paymentMethodObject(method, customer));
    }

    switch (method.behaviour.kind) {
      case 'succeed':
        return this.authorize(pi, method);
      case 'decline':
        return this.decline(pi, method, method.behaviour);
      case 'authenticate':
        pi.status = 'requires_action';
        pi.next_action = {
          type: 'use_stripe_sdk',
          use_stripe_sdk: {
            type: 'three_d_secure_redirect',
            stripe_js: `${this.options.baseUrl()}/_sandbox/3ds/${pi.id}`,
          },
        } as unknown as Stripe.PaymentIntent.NextAction;
        this.emit('payment_intent.requires_action', pi);
        return pi;
      case 'redirect':
        pi.status = 'requires_action';
        pi.next_action = {
          type: 'redirect_to_url',
          redirect_to_url: {
            url: `${this.options.baseUrl()}/_sandbox/redirect/${pi.id}?return_url=${encodeURIComponent(returnUrl!)}`,
            return_url: returnUrl,
          },
        } as unknown as Stripe.PaymentIntent.NextAction;
        this.emit('payment_intent.requires_action', pi);
        return pi;
      case 'async': {
        pi.status = 'processing';
        const charge = createCharge(this.state, { pi, method, status: 'pending', captured: true });
        charge.amount_captured = 0;
        pi.latest_charge = charge.id;
        this.emit('charge.pending', charge);
        this.emit('payment_intent.processing', pi);
        if (this.options.asyncSettleDelayMs !== undefined) {
          setTimeout(() => {
            if (this.state.paymentIntents.get(pi.id)?.status === 'processing') this.settle(pi.id, 'succeeded');
          }, this.options.asyncSettleDelayMs).unref();
        }
        return pi;
      }
    }
  }

  /** Completes (or fails) the 3-D Secure challenge or redirect of a PaymentIntent in requires_action. */
  authenticate(id: string, outcome: 'succeed' | 'fail'): Stripe.PaymentIntent {
    const pi = this.get(id);
    if (pi.status !== 'requires_action')
      throw unexpectedState('PaymentIntent', pi.status, 'authenticate', ['requires_action']);
    const method = this.resolveMethod(String(pi.payment_method));
    pi.next_action = null;
    if (outcome === 'succeed') return this.authorize(pi, method);
    pi.status = 'requires_payment_method';
    pi.payment_method = null;
    pi.last_payment_error = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: paymentMethodObject(method),
    } as unknown as Stripe.PaymentIntent.LastPaymentError;
    this.emit('payment_intent.payment_failed', pi);
    return pi;
  }

  /** Settles an asynchronous payment (processing) as Stripe would after the bank answered. */
  settle(id: string, outcome: 'succeeded' | 'failed'): Stripe.PaymentIntent {
    const pi = this.get(id);
    if (pi.status !== 'processing') throw unexpectedState('PaymentIntent', pi.status, 'settle', ['processing']);
    const charge = this.state.charges.get(String(pi.latest_charge));
    if (!charge) throw missing('charge', String(pi.latest_charge));
    if (outcome === 'succeeded') {
      charge.status = 'succeeded';
      charge.paid = true;
      charge.amount_captured = charge.amount;
      charge.balance_transaction = newId('txn');
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      this.emit('charge.succeeded', charge);
      this.emit('payment_intent.succeeded', pi);
    } else {
      charge.status = 'failed';
      charge.failure_code = 'insufficient_funds';
      charge.failure_message = 'The account has insufficient funds.';
      pi.status = 'requires_payment_method';
      pi.last_payment_error = {
        type: 'card_error',
        code: 'insufficient_funds',
        message: 'The account has insufficient funds.',
        charge: charge.id,
      } as unknown as Stripe.PaymentIntent.LastPaymentError;
      pi.payment_method = null;
      this.emit('charge.failed', charge);
      this.emit('payment_intent.payment_failed', pi);
    }
    return pi;
  }

  private authorize(pi: Stripe.PaymentIntent, method: TestMethod): Stripe.PaymentIntent {
    const manual = pi.capture_method === 'manual';
    const charge = createCharge(this.state, { pi, method, status: 'succeeded', captured: !manual });
    pi.latest_charge = charge.id;
    if (manual) {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      this.emit('charge.succeeded', charge);
      this.emit('payment_intent.amount_capturable_updated', pi);
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      this.state.captureCount.set(pi.id, 1);
      this.emit('charge.succeeded', charge);
      this.emit('payment_intent.succeeded', pi);
    }
    return pi;
  }

  private decline(
    pi: Stripe.PaymentIntent,
    method: TestMethod,
    behaviour: { code: string; declineCode: string; message: string },
  ): never {
    const charge = createCharge(this.state, {
      pi,
      method,
      status: 'failed',
      captured: false,
      failure: { code: behaviour.code, message: behaviour.message, declineCode: behaviour.declineCode },
    });
    const error = {
      type: 'card_error',
      code: behaviour.code,
      decline_code: behaviour.declineCode,
      message: behaviour.message,
      charge: charge.id,
      doc_url: `https://stripe.com/docs/error-codes/${behaviour.code.replace(/_/g, '-')}`,
      payment_method: paymentMethodObject(method),
    };
    pi.status = 'requires_payment_method';
    pi.payment_method = null;
    pi.latest_charge = charge.id;
    pi.last_payment_error = error as unknown as Stripe.PaymentIntent.LastPaymentError;
    this.emit('charge.failed', charge);
    this.emit('payment_intent.payment_failed', pi);
    throw new StripeApiError(402, 'card_error', behaviour.message, {
      code: behaviour.code,
      decline_code: behaviour.declineCode,
      charge: charge.id,
      doc_url: error.doc_url,
      payment_intent: structuredClone(pi),
      payment_method: error.payment_method,
    });
  }

  capture(id: string, params: Params): Stripe.PaymentIntent {
    allowOnly(params, [...COMMON, 'amount_to_capture', 'final_capture', 'metadata', 'statement_descriptor_suffix']);
    const pi = this.get(id);
    if (pi.status !== 'requires_capture')
      throw unexpectedState('PaymentIntent', pi.status, 'capture', ['requires_capture']);
    const amount = int(params, 'amount_to_capture', { min: 1 }) ?? pi.amount_capturable;
    if (amount > pi.amount_capturable) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `The amount_to_capture (${amount}) is greater than the amount capturable (${pi.amount_capturable}) on this PaymentIntent.`,
        { code: 'amount_too_large', param: 'amount_to_capture' },
      );
    }
    const finalCapture = bool(params, 'final_capture') ?? true;
    const multicapture =
      (pi.payment_method_options?.card as { request_multicapture?: string } | undefined)?.request_multicapture ===
      'if_available';
    if (!finalCapture && !multicapture) {
      throw invalid(
        'final_capture=false requires multicapture (payment_method_options[card][request_multicapture]=if_available).',
        'final_capture',
      );
    }
    const captures = (this.state.captureCount.get(pi.id) ?? 0) + 1;
    if (captures > MAX_CAPTURES)
      throw invalid(
        `A PaymentIntent can be captured at most ${MAX_CAPTURES} times.`,
        'amount_to_capture',
        'payment_intent_unexpected_state',
      );
    this.state.captureCount.set(pi.id, captures);
    const charge = this.state.charges.get(String(pi.latest_charge))!;
    charge.amount_captured += amount;
    charge.captured = true;
    charge.balance_transaction = newId('txn');
    pi.amount_received += amount;
    if (finalCapture) {
      pi.amount_capturable = 0;
      pi.status = 'succeeded';
      this.emit('charge.captured', charge);
      this.emit('payment_intent.succeeded', pi);
    } else {
      pi.amount_capturable -= amount;
      this.emit('charge.captured', charge);
      this.emit('payment_intent.amount_capturable_updated', pi);
    }
    return pi;
  }

  cancel(id: string, params: Params): Stripe.PaymentIntent {
    allowOnly(params, [...COMMON, 'cancellation_reason']);
    const pi = this.get(id);
    if (!CANCELABLE.includes(pi.status)) throw unexpectedState('PaymentIntent', pi.status, 'cancel', CANCELABLE);
    pi.cancellation_reason = oneOf(params, 'cancellation_reason', CANCEL_REASONS) ?? null;
    pi.status = 'canceled';
    pi.canceled_at = nowSeconds();
    pi.amount_capturable = 0;
    pi.next_action = null;
    this.emit('payment_intent.canceled', pi);
    return pi;
  }
}
