import type Stripe from 'stripe';
import { createCharge } from './charges';
import { StripeApiError } from './errors';
import type { EmulatorState } from './state';
import type { Decline, TestMethod } from './test-methods';

/** A refused payment: a failed charge, the PaymentIntent payable again, and the 402 to answer. */
export function declinePayment(
  state: EmulatorState,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  method: TestMethod,
  reason: Decline,
  authenticated: boolean,
): StripeApiError {
  const charge = createCharge(state, {
    pi,
    method,
    billing: pm.billing_details,
    status: 'failed',
    authenticated,
    failure: reason,
  });
  const docUrl = `https://stripe.com/docs/error-codes/${reason.code.replace(/_/g, '-')}`;
  const declineCode = reason.declineCode ? { decline_code: reason.declineCode } : {};
  pi.status = 'requires_payment_method';
  pi.payment_method = null;
  pi.latest_charge = charge.id;
  pi.last_payment_error = {
    type: 'card_error',
    code: reason.code,
    ...declineCode,
    doc_url: docUrl,
    message: reason.message,
    charge: charge.id,
    payment_method: structuredClone(pm),
  };
  state.emit('charge.failed', charge);
  state.emit('payment_intent.payment_failed', pi);
  return new StripeApiError(402, 'card_error', reason.message, {
    code: reason.code,
    ...declineCode,
    charge: charge.id,
    payment_intent: structuredClone(pi),
    payment_method: structuredClone(pm),
  });
}
