import type Stripe from 'stripe';
import { unhandledStatus } from '../core/exhaustive';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';

/**
 * Stripe is the truth for money: from a PaymentIntent (with its charge, refunds and disputes)
 * this computes every commercetools transaction it implies. Pure: no I/O, amounts in Stripe's
 * minor units (the caller converts). Each transaction carries its own `interactionId` so that
 * captures, refunds and disputes never collapse into one row.
 */

export type TxType = 'Authorization' | 'CancelAuthorization' | 'Charge' | 'Refund' | 'Chargeback';
export type TxState = 'Initial' | 'Pending' | 'Success' | 'Failure';

export interface DesiredTransaction {
  type: TxType;
  state: TxState;
  /** Stripe minor units, in the PaymentIntent's currency. */
  amount: number;
  interactionId: string;
  /**
   * Set on the Charge: `amount` is the total captured on this charge so far. Stripe only tells
   * the cumulative amount, so every further capture (multicapture) becomes its own transaction
   * for the difference, with its own interaction id (see plan-actions).
   */
  cumulative?: true;
  /** On the cumulative Charge: one capture whose own amount is known (see `PaymentIntentSnapshot.capture`). */
  known?: { amount: number; total: number };
}

/** interactionId of the CancelAuthorization that records an amount released without capture. */
export const releaseInteractionId = (paymentIntentId: string) => `${paymentIntentId}:release`;

function authorizationState(pi: Stripe.PaymentIntent, authorized: boolean): TxState | undefined {
  switch (pi.status) {
    case 'requires_payment_method':
      // A decline leaves the PaymentIntent usable for another attempt: Failure, which a later
      // success may still turn into Success.
      return pi.last_payment_error ? 'Failure' : undefined;
    case 'requires_confirmation':
    case 'requires_action':
      return pi.last_payment_error ? 'Failure' : undefined;
    case 'processing':
      return 'Pending';
    case 'requires_capture':
    case 'succeeded':
      return 'Success';
    case 'canceled':
      return authorized ? 'Success' : 'Failure';
    default:
      unhandledStatus(pi.status);
      return undefined;
  }
}

function refundState(refund: Stripe.Refund): TxState {
  switch (refund.status) {
    case 'succeeded':
      return 'Success';
    case 'failed':
    case 'canceled':
      return 'Failure';
    default:
      // `pending`, `requires_action` (Stripe types a refund's status as a plain string).
      return 'Pending';
  }
}

/**
 * One Chargeback per dispute that moves money. It succeeds when the dispute is lost (the money is
 * gone for good) and fails when the dispute is won (the withdrawn funds came back); while the
 * dispute is open it is Pending. The sum of successful chargebacks is what disputes cost. An
 * inquiry (`warning_*`) withdraws nothing and records nothing, unless the bank escalates it into a
 * chargeback, when it takes a chargeback's statuses.
 */
function chargebackState(dispute: Stripe.Dispute): TxState | undefined {
  switch (dispute.status) {
    case 'warning_needs_response':
    case 'warning_under_review':
    case 'warning_closed':
      return undefined;
    case 'lost':
      return 'Success';
    case 'won':
    case 'prevented':
      return 'Failure';
    case 'needs_response':
    case 'under_review':
    case 'appeal_needs_response':
    case 'appeal_under_review':
      return 'Pending';
    default:
      // Open until Stripe says otherwise.
      unhandledStatus(dispute.status);
      return 'Pending';
  }
}

export function desiredTransactions(snapshot: PaymentIntentSnapshot): DesiredTransaction[] {
  const { paymentIntent: pi, charge } = snapshot;
  const result: DesiredTransaction[] = [];
  // A charge that succeeded means money was authorized (and possibly captured since).
  const authorized = Boolean(charge && charge.status === 'succeeded');
  const authorizedAmount = authorized && charge ? charge.amount : pi.amount;

  const authState = authorizationState(pi, authorized);
  if (authState) {
    result.push({ type: 'Authorization', state: authState, amount: authorizedAmount, interactionId: pi.id });
  }

  if (authorized && charge) {
    if (charge.amount_captured > 0) {
      result.push({
        type: 'Charge',
        state: 'Success',
        amount: charge.amount_captured,
        interactionId: charge.id,
        cumulative: true,
        ...(snapshot.capture ? { known: snapshot.capture } : {}),
      });
    }
    // What was authorized and neither captured nor capturable any more has been released: by a
    // cancel, a final partial capture, or the authorization expiring.
    const released =
      pi.status === 'canceled' || (pi.status === 'succeeded' && pi.amount_capturable === 0)
        ? charge.amount - charge.amount_captured
        : 0;
    if (released > 0) {
      result.push({
        type: 'CancelAuthorization',
        state: 'Success',
        amount: released,
        interactionId: releaseInteractionId(pi.id),
      });
    }
  }

  for (const refund of snapshot.refunds ?? []) {
    result.push({ type: 'Refund', state: refundState(refund), amount: refund.amount, interactionId: refund.id });
  }

  for (const dispute of snapshot.disputes ?? []) {
    const state = chargebackState(dispute);
    if (state) result.push({ type: 'Chargeback', state, amount: dispute.amount, interactionId: dispute.id });
  }

  return result;
}
