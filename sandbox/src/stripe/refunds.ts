import type Stripe from 'stripe';
import { recordBalance } from './balance';
import { getCharge } from './charges';
import { invalid, missing, StripeApiError } from './errors';
import { int, metadata, oneOf, str, type Params } from './form';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
/** Dispute statuses in which the disputed money is gone or at stake: no refund then. */
const BLOCKING_DISPUTES = ['needs_response', 'under_review', 'lost'];

export interface RefundOptions {
  /** Delay after which refunds of `pm_card_refundFail` fail by themselves. */
  lateFailureDelayMs?: number;
}

/** Refunds of captured charges, and the reversals Stripe makes itself for uncaptured amounts. */
export class Refunds {
  /** When set, new refunds start `pending` and settle by control call (as some banks do). */
  pendingByDefault = false;

  constructor(
    private readonly state: EmulatorState,
    private readonly options: RefundOptions = {},
  ) {}

  get(id: string): Stripe.Refund {
    const refund = this.state.refunds.get(id);
    if (!refund) throw missing('refund', id, 'refund');
    return refund;
  }

  private chargeFor(params: Params): Stripe.Charge {
    const chargeId = str(params, 'charge');
    const piId = str(params, 'payment_intent');
    if (!chargeId && !piId)
      throw invalid(
        'One of the following params should be provided for this request: payment_intent or charge.',
        'payment_intent',
      );
    if (chargeId) {
      const charge = getCharge(this.state, chargeId);
      if (piId && charge.payment_intent !== piId)
        throw invalid(`Charge ${chargeId} does not belong to PaymentIntent ${piId}.`, 'charge');
      return charge;
    }
    const pi = this.state.paymentIntents.get(piId!);
    if (!pi) throw missing('payment_intent', piId!, 'payment_intent');
    const charge = pi.latest_charge ? this.state.charges.get(String(pi.latest_charge)) : undefined;
    if (!charge || charge.status === 'failed') {
      throw invalid(
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        'payment_intent',
        'charge_not_refundable',
      );
    }
    return charge;
  }

  /** Captured and not yet refunded (refunds that failed or were canceled gave their amount back). */
  refundable(charge: Stripe.Charge): number {
    const refunded = [...this.state.refunds.values()]
      .filter((r) => r.charge === charge.id)
      .filter((r) => r.status !== 'failed' && r.status !== 'canceled')
      .reduce((sum, r) => sum + r.amount, 0);
    return charge.amount_captured - refunded;
  }

  create(params: Params): Stripe.Refund {
    const charge = this.chargeFor(params);
    if (charge.status !== 'succeeded' || !charge.captured) {
      throw invalid(
        `Charge ${charge.id} has not been captured yet; cancel its PaymentIntent to release the authorization instead.`,
        'charge',
        'charge_not_refundable',
      );
    }
    const dispute = [...this.state.disputes.values()].find((d) => d.charge === charge.id);
    if (dispute && BLOCKING_DISPUTES.includes(dispute.status)) {
      throw invalid(`Charge ${charge.id} has been charged back; cannot issue a refund.`, 'charge', 'charge_disputed');
    }
    const remaining = this.refundable(charge);
    if (remaining <= 0) {
      throw invalid(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
    }
    const amount = int(params, 'amount', { min: 1 }) ?? remaining;
    if (amount > remaining) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        { code: 'amount_too_large', param: 'amount' },
      );
    }
    const refund = this.newRefund(charge, amount, this.pendingByDefault ? 'pending' : 'succeeded');
    refund.metadata = metadata(params) ?? {};
    refund.reason = oneOf(params, 'reason', REASONS) ?? null;
    refund.balance_transaction = recordBalance(this.state, {
      type: 'refund',
      amount: -amount,
      currency: charge.currency,
      source: refund.id,
    }).id;
    this.apply(charge, amount);
    this.state.emit('refund.created', refund);
    this.state.emit('charge.refunded', charge);
    const method = charge.payment_method ? this.state.methodOf.get(charge.payment_method) : undefined;
    const delay = this.options.lateFailureDelayMs;
    if (method?.refundFails && delay !== undefined) {
      this.state.scheduler.after(delay, () => {
        if (this.state.refunds.get(refund.id)?.status === 'succeeded') this.settle(refund.id, 'failed');
      });
    }
    return refund;
  }

  private apply(charge: Stripe.Charge, amount: number): void {
    charge.amount_refunded += amount;
    // Fully refunded means all that was captured (a partial capture released the rest).
    charge.refunded = charge.amount_refunded >= (charge.captured ? charge.amount_captured : charge.amount);
  }

  private newRefund(charge: Stripe.Charge, amount: number, status: 'pending' | 'succeeded'): Stripe.Refund {
    const refund: Stripe.Refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      customer: charge.customer,
      customer_account: null,
      destination_details: {
        type: charge.payment_method_details?.type ?? 'card',
        ...(charge.payment_method_details?.card
          ? { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } }
          : {}),
      } as Stripe.Refund.DestinationDetails,
      metadata: {},
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason: null,
      receipt_number: null,
      source_transfer_reversal: null,
      status,
      transfer_reversal: null,
    } as Stripe.Refund;
    this.state.refunds.set(refund.id, refund);
    return refund;
  }

  update(id: string, params: Params): Stripe.Refund {
    const refund = this.get(id);
    const before = structuredClone(refund);
    const meta = metadata(params, refund.metadata ?? {});
    if (meta) refund.metadata = meta;
    this.state.emitUpdated('refund.updated', refund, before);
    return refund;
  }

  /** The bank's late answer on a refund: a pending one settles, a succeeded one may still fail. */
  settle(id: string, outcome: 'succeeded' | 'failed'): Stripe.Refund {
    const refund = this.get(id);
    if (refund.status === 'failed' || refund.status === 'canceled')
      throw invalid(`Refund ${id} cannot change any more (status ${refund.status}).`, 'refund');
    if (outcome === refund.status) return refund;
    const charge = getCharge(this.state, String(refund.charge));
    const before = structuredClone(refund);
    refund.status = outcome;
    if (outcome === 'failed') {
      refund.failure_reason = 'expired_or_canceled_card';
      refund.failure_balance_transaction = recordBalance(this.state, {
        type: 'refund_failure',
        amount: refund.amount,
        currency: refund.currency,
        source: refund.id,
      }).id;
      charge.amount_refunded -= refund.amount;
      charge.refunded = charge.amount_refunded >= charge.amount;
      this.state.emit('refund.failed', refund);
    }
    this.state.emitUpdated('refund.updated', refund, before);
    this.state.emitUpdated('charge.refund.updated', refund, before);
    return refund;
  }

  list(params: Params): Stripe.Refund[] {
    const pi = str(params, 'payment_intent');
    const charge = str(params, 'charge');
    return [...this.state.refunds.values()].filter(
      (r) => (!pi || r.payment_intent === pi) && (!charge || r.charge === charge),
    );
  }
}
