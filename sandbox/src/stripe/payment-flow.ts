import type Stripe from 'stripe';
import { shippingParam } from './addresses';
import { createCharge, getCharge } from './charges';
import { collect } from './collect';
import { declinePayment } from './declines';
import { invalid, unexpectedState } from './errors';
import { bool, obj, oneOf, str, type Params } from './form';
import { randomToken } from './ids';
import { CAPTURE_METHODS } from './payment-intent-params';
import type { PaymentMethods } from './payment-methods';
import type { EmulatorState } from './state';
import type { Decline, TestMethod } from './test-methods';

type Status = Stripe.PaymentIntent.Status;

export const CONFIRMABLE: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

const AUTHENTICATION_REQUIRED: Decline = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

export interface FlowOptions {
  /** Base URL of the emulator as the browser reaches it (for next_action URLs). */
  baseUrl: () => string;
  /** Settle asynchronous payments by themselves after this delay. */
  asyncSettleDelayMs?: number;
}

/**
 * A payment attempt: confirm, then authenticate, settle or fail, as Stripe's PaymentIntent
 * state machine moves. Pure state changes plus events; HTTP lives in the routes.
 */
export class PaymentFlow {
  /** Called when a charge has been captured for the first time (dispute test cards dispute it then). */
  onCaptured: (charge: Stripe.Charge, method: TestMethod) => void = () => undefined;

  constructor(
    private readonly state: EmulatorState,
    private readonly methods: PaymentMethods,
    private readonly options: FlowOptions,
  ) {}

  confirm(pi: Stripe.PaymentIntent, params: Params): Stripe.PaymentIntent {
    if (!CONFIRMABLE.includes(pi.status)) throw unexpectedState(pi, 'confirm', CONFIRMABLE);
    const pmId = str(params, 'payment_method');
    const data = obj(params, 'payment_method_data');
    const pm = pmId
      ? this.methods.resolve(pmId)
      : data
        ? this.methods.create(data, 'payment_method_data')
        : typeof pi.payment_method === 'string'
          ? // Chosen when the PaymentIntent was made; detached since, it can no longer pay.
            this.methods.resolve(pi.payment_method)
          : undefined;
    if (!pm) {
      throw invalid(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a payment method, specify a payment method.",
        'payment_method',
        'payment_intent_unexpected_state',
      );
    }
    const method = this.methods.behaviourOf(pm.id);
    if (!pi.payment_method_types.includes(method.type)) {
      throw invalid(
        `The PaymentMethod provided (${method.type}) is not allowed for this PaymentIntent. Allowed types: ${pi.payment_method_types.join(', ')}.`,
        'payment_method',
        'payment_intent_incompatible_payment_method',
      );
    }
    const captureMethod = oneOf(params, 'capture_method', CAPTURE_METHODS);
    if (captureMethod) pi.capture_method = captureMethod;
    if (method.type !== 'card' && pi.capture_method === 'manual') {
      throw invalid(
        `The provided PaymentMethod of type ${method.type} does not support capture_method=manual.`,
        'capture_method',
        'payment_intent_invalid_parameter',
      );
    }
    const returnUrl = str(params, 'return_url');
    if (method.behaviour.kind === 'redirect' && !returnUrl) {
      throw invalid(
        'This PaymentIntent requires a return_url: the payment method redirects the customer to authorize the payment.',
        'return_url',
        'parameter_missing',
      );
    }
    const offSession = params.off_session !== undefined && params.off_session !== 'false';
    const failOnAction = bool(params, 'error_on_requires_action') ?? false;
    const receiptEmail = str(params, 'receipt_email');
    if (receiptEmail) pi.receipt_email = receiptEmail;
    const shipping = shippingParam(params);
    if (shipping !== undefined) pi.shipping = shipping;
    const sfu = oneOf(params, 'setup_future_usage', ['on_session', 'off_session'] as const);
    if (sfu) pi.setup_future_usage = sfu;

    pi.payment_method = pm.id;
    pi.last_payment_error = null;
    pi.next_action = null;
    if (returnUrl) this.state.returnUrls.set(pi.id, returnUrl);
    else this.state.returnUrls.delete(pi.id);

    const behaviour = method.behaviour;
    switch (behaviour.kind) {
      case 'succeed':
        return this.authorize(pi, pm, method, false);
      case 'decline':
        throw declinePayment(this.state, pi, pm, method, behaviour, false);
      case 'authenticate': {
        if (offSession) {
          const passes =
            behaviour.offSession === 'succeed' ||
            (behaviour.offSession === 'if_set_up' && this.state.setUpForOffSession.has(pm.id));
          if (!passes) throw declinePayment(this.state, pi, pm, method, AUTHENTICATION_REQUIRED, false);
          if (behaviour.thenDecline) throw declinePayment(this.state, pi, pm, method, behaviour.thenDecline, false);
          return this.authorize(pi, pm, method, false);
        }
        if (failOnAction) throw declinePayment(this.state, pi, pm, method, AUTHENTICATION_REQUIRED, false);
        const useSdk = !returnUrl || bool(params, 'use_stripe_sdk') === true;
        return this.requireAction(pi, useSdk ? 'sdk' : 'redirect');
      }
      case 'redirect':
        if (failOnAction) throw declinePayment(this.state, pi, pm, method, AUTHENTICATION_REQUIRED, false);
        return this.requireAction(pi, 'redirect');
      case 'async':
        return this.process(pi, pm, method);
    }
  }

  /** requires_action, with a next_action that tells the browser where the challenge is. */
  private requireAction(pi: Stripe.PaymentIntent, how: 'sdk' | 'redirect'): Stripe.PaymentIntent {
    const token = randomToken(24);
    this.state.actionTokens.set(pi.id, token);
    const base = this.options.baseUrl();
    pi.status = 'requires_action';
    if (how === 'sdk') {
      pi.next_action = {
        type: 'use_stripe_sdk',
        use_stripe_sdk: {
          type: 'three_d_secure_redirect',
          stripe_js: `${base}/_sandbox/3ds/${pi.id}?token=${token}`,
          source: `src_${token}`,
        },
      };
    } else {
      const returnUrl = this.state.returnUrls.get(pi.id) ?? null;
      pi.next_action = {
        type: 'redirect_to_url',
        redirect_to_url: { url: `${base}/_sandbox/redirect/${pi.id}?token=${token}`, return_url: returnUrl },
      };
    }
    this.state.emit('payment_intent.requires_action', pi);
    return pi;
  }

  /** The shopper completes or fails the 3-D Secure challenge or the bank redirect. */
  authenticate(pi: Stripe.PaymentIntent, outcome: 'succeed' | 'fail'): Stripe.PaymentIntent {
    if (pi.status !== 'requires_action') throw unexpectedState(pi, 'authenticate', ['requires_action']);
    const pm = this.methods.get(String(pi.payment_method));
    const method = this.methods.behaviourOf(pm.id);
    pi.next_action = null;
    this.state.actionTokens.delete(pi.id);
    if (outcome === 'succeed') {
      if (method.behaviour.kind === 'authenticate' && method.behaviour.thenDecline) {
        declinePayment(this.state, pi, pm, method, method.behaviour.thenDecline, true);
        return pi;
      }
      return this.authorize(pi, pm, method, true);
    }
    pi.status = 'requires_payment_method';
    pi.payment_method = null;
    pi.last_payment_error = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: structuredClone(pm),
    };
    this.state.emit('payment_intent.payment_failed', pi);
    return pi;
  }

  private process(pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod, method: TestMethod): Stripe.PaymentIntent {
    pi.status = 'processing';
    const charge = createCharge(this.state, {
      pi,
      method,
      billing: pm.billing_details,
      status: 'pending',
      authenticated: false,
    });
    // A bank debit is captured at once; the money only arrives (or not) later.
    charge.captured = true;
    charge.amount_captured = charge.amount;
    pi.latest_charge = charge.id;
    this.saveForFuture(pi, pm, false);
    this.state.emit('charge.pending', charge);
    this.state.emit('payment_intent.processing', pi);
    const delay = this.options.asyncSettleDelayMs;
    if (delay !== undefined) {
      this.state.scheduler.after(delay, () => {
        if (this.state.paymentIntents.get(pi.id)?.status === 'processing') this.settle(pi);
      });
    }
    return pi;
  }

  /** The bank answered an asynchronous payment (processing): by default as the test method says. */
  settle(pi: Stripe.PaymentIntent, outcome?: 'succeeded' | 'failed'): Stripe.PaymentIntent {
    if (pi.status !== 'processing') throw unexpectedState(pi, 'settle', ['processing']);
    const charge = getCharge(this.state, String(pi.latest_charge));
    const method = this.methods.behaviourOf(String(pi.payment_method));
    const result = outcome ?? (method.behaviour.kind === 'async' ? method.behaviour.outcome : 'succeeded');
    if (result === 'succeeded') {
      charge.status = 'succeeded';
      charge.paid = true;
      return this.succeeded(pi, charge, method, 'payment');
    }
    charge.status = 'failed';
    charge.amount_captured = 0;
    charge.failure_code = 'insufficient_funds';
    charge.failure_message = 'The customer’s account has insufficient funds to cover this payment.';
    const pm = this.methods.get(String(pi.payment_method));
    pi.status = 'requires_payment_method';
    pi.payment_method = null;
    pi.last_payment_error = {
      type: 'card_error',
      code: 'insufficient_funds',
      doc_url: 'https://stripe.com/docs/error-codes/insufficient-funds',
      message: charge.failure_message,
      charge: charge.id,
      payment_method: structuredClone(pm),
    };
    this.state.emit('charge.failed', charge);
    this.state.emit('payment_intent.payment_failed', pi);
    return pi;
  }

  private authorize(
    pi: Stripe.PaymentIntent,
    pm: Stripe.PaymentMethod,
    method: TestMethod,
    authenticated: boolean,
  ): Stripe.PaymentIntent {
    const manual = pi.capture_method === 'manual';
    const charge = createCharge(this.state, {
      pi,
      method,
      billing: pm.billing_details,
      status: 'succeeded',
      authenticated,
    });
    const card = charge.payment_method_details?.card;
    if (card && manual && pi.payment_method_options?.card?.request_multicapture === 'if_available') {
      card.multicapture = { status: 'available' };
    }
    pi.latest_charge = charge.id;
    this.saveForFuture(pi, pm, authenticated);
    if (manual) {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      this.state.emit('charge.succeeded', charge);
      this.state.emit('payment_intent.amount_capturable_updated', pi);
      return pi;
    }
    charge.captured = true;
    charge.amount_captured = charge.amount;
    return this.succeeded(pi, charge, method, 'charge');
  }

  /** The whole amount is collected; then dispute test cards are disputed. */
  private succeeded(
    pi: Stripe.PaymentIntent,
    charge: Stripe.Charge,
    method: TestMethod,
    balanceType: 'payment' | 'charge',
  ): Stripe.PaymentIntent {
    collect(this.state, pi, charge, balanceType);
    this.onCaptured(charge, method);
    return pi;
  }

  /** `setup_future_usage` with a customer saves the PaymentMethod to the customer. */
  private saveForFuture(pi: Stripe.PaymentIntent, pm: Stripe.PaymentMethod, authenticated: boolean): void {
    const customer = typeof pi.customer === 'string' ? pi.customer : null;
    if (!customer || !pi.setup_future_usage) return;
    if (pm.customer !== customer) {
      pm.customer = customer;
      this.state.emit('payment_method.attached', pm);
    }
    if (pi.setup_future_usage === 'off_session' && authenticated) this.state.setUpForOffSession.add(pm.id);
  }
}
