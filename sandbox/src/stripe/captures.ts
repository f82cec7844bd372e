import type Stripe from 'stripe';
import { recordBalance } from './balance';
import { getCharge } from './charges';
import { invalid, StripeApiError, unexpectedState } from './errors';
import { bool, int, metadata, oneOf, type Params } from './form';
import { nowSeconds } from './ids';
import type { PaymentFlow } from './payment-flow';
import type { Refunds } from './refunds';
import type { EmulatorState } from './state';

type Status = Stripe.PaymentIntent.Status;

const CANCELABLE: readonly Status[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
];
const CANCEL_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const;
/** Stripe's limit on captures of one multicapture PaymentIntent. */
export const MAX_CAPTURES = 50;

/** Capturing an authorization, or releasing it (cancel, expiry). */
export class Captures {
  constructor(
    private readonly state: EmulatorState,
    private readonly flow: PaymentFlow,
    private readonly refunds: Refunds,
  ) {}

  capture(pi: Stripe.PaymentIntent, params: Params): Stripe.PaymentIntent {
    if (pi.status !== 'requires_capture') throw unexpectedState(pi, 'capture', ['requires_capture']);
    const amount = int(params, 'amount_to_capture', { min: 1 }) ?? pi.amount_capturable;
    if (amount > pi.amount_capturable) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `The amount_to_capture (${amount}) must be less than or equal to the amount_capturable (${pi.amount_capturable}) of this PaymentIntent.`,
        { code: 'amount_too_large', param: 'amount_to_capture', payment_intent: structuredClone(pi) },
      );
    }
    const charge = getCharge(this.state, String(pi.latest_charge));
    const multicapture = charge.payment_method_details?.card?.multicapture?.status === 'available';
    const finalCapture = bool(params, 'final_capture') ?? true;
    if (!finalCapture && !multicapture) {
      throw invalid(
        'final_capture can only be false on a PaymentIntent that supports multicapture (payment_method_options[card][request_multicapture]=if_available).',
        'final_capture',
        'payment_intent_invalid_parameter',
      );
    }
    const captures = this.state.captureCount.get(pi.id) ?? 0;
    if (captures >= MAX_CAPTURES) {
      throw invalid(
        `This PaymentIntent has reached the maximum of ${MAX_CAPTURES} captures.`,
        'amount_to_capture',
        'payment_intent_unexpected_state',
      );
    }
    const meta = metadata(params, pi.metadata);
    if (meta) pi.metadata = meta;
    this.state.captureCount.set(pi.id, captures + 1);
    const before = structuredClone(charge);
    const firstCapture = !charge.captured;
    charge.captured = true;
    charge.amount_captured += amount;
    charge.balance_transaction = recordBalance(this.state, {
      type: 'charge',
      amount,
      currency: charge.currency,
      source: charge.id,
    }).id;
    pi.amount_received += amount;
    pi.amount_capturable -= amount;
    const done = finalCapture || pi.amount_capturable === 0;
    if (done) {
      pi.amount_capturable = 0;
      pi.status = 'succeeded';
      if (charge.payment_method_details?.card?.multicapture)
        charge.payment_method_details.card.multicapture.status = 'unavailable';
    }
    if (firstCapture) this.state.emit('charge.captured', charge);
    else this.state.emitUpdated('charge.updated', charge, before);
    this.state.emit(done ? 'payment_intent.succeeded' : 'payment_intent.amount_capturable_updated', pi);
    if (firstCapture) this.flow.onCaptured(charge, this.state.methodOf.get(String(charge.payment_method))!);
    return pi;
  }

  cancel(pi: Stripe.PaymentIntent, params: Params): Stripe.PaymentIntent {
    if (!CANCELABLE.includes(pi.status)) throw unexpectedState(pi, 'cancel', CANCELABLE);
    return this.release(pi, oneOf(params, 'cancellation_reason', CANCEL_REASONS) ?? null, false);
  }

  /** The authorization ran out (about 7 days for online cards): Stripe cancels the PaymentIntent, reason `expired`. */
  expire(pi: Stripe.PaymentIntent): Stripe.PaymentIntent {
    if (pi.status !== 'requires_capture') throw unexpectedState(pi, 'expire', ['requires_capture']);
    return this.release(pi, 'expired', true);
  }

  private release(
    pi: Stripe.PaymentIntent,
    reason: Stripe.PaymentIntent.CancellationReason | null,
    expired: boolean,
  ): Stripe.PaymentIntent {
    const rest = pi.status === 'requires_capture' ? pi.amount_capturable : 0;
    pi.status = 'canceled';
    pi.cancellation_reason = reason;
    pi.canceled_at = nowSeconds();
    pi.amount_capturable = 0;
    pi.next_action = null;
    this.state.actionTokens.delete(pi.id);
    // Since API version 2025-03-31 (basil), releasing an uncaptured amount (cancel, expiry, the
    // rest of a final partial capture) creates no Refund and leaves `amount_refunded` alone.
    if (rest > 0 && expired) this.state.emit('charge.expired', getCharge(this.state, String(pi.latest_charge)));
    this.state.emit('payment_intent.canceled', pi);
    return pi;
  }
}
