import type Stripe from 'stripe';
import { invalid, missing, StripeApiError } from './errors';
import { allowOnly, int, metadata, oneOf, str, type Params } from './form';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';

type Emit = (type: string, object: { id: string }, previous?: Record<string, unknown>) => void;

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** Refunds and disputes of captured charges. */
export class Refunds {
  /** When set, new refunds start `pending` and settle by control call (like some bank methods). */
  pendingByDefault = false;

  constructor(
    private readonly state: EmulatorState,
    private readonly emit: Emit,
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
      const charge = this.state.charges.get(chargeId);
      if (!charge) throw missing('charge', chargeId, 'charge');
      if (piId && charge.payment_intent !== piId)
        throw invalid('The charge does not belong to the given payment_intent.', 'charge');
      return charge;
    }
    const pi = this.state.paymentIntents.get(piId!);
    if (!pi) throw missing('payment_intent', piId!, 'payment_intent');
    const charge = pi.latest_charge ? this.state.charges.get(String(pi.latest_charge)) : undefined;
    if (!charge || charge.status !== 'succeeded') {
      throw invalid(
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        'payment_intent',
        'charge_not_refundable',
      );
    }
    return charge;
  }

  create(params: Params): Stripe.Refund {
    allowOnly(params, ['expand', 'amount', 'charge', 'payment_intent', 'metadata', 'reason', 'instructions_email']);
    const charge = this.chargeFor(params);
    if (!charge.captured || charge.amount_captured === 0) {
      throw invalid(
        `Charge ${charge.id} has not been captured; cancel the PaymentIntent instead of refunding it.`,
        'charge',
        'charge_not_refundable',
      );
    }
    const remaining = charge.amount_captured - charge.amount_refunded;
    if (remaining <= 0) {
      throw new StripeApiError(400, 'invalid_request_error', `Charge ${charge.id} has already been refunded.`, {
        code: 'charge_already_refunded',
        param: 'charge',
      });
    }
    const amount = int(params, 'amount', { min: 1 }) ?? remaining;
    if (amount > remaining) {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        {
          code: 'amount_too_large',
          param: 'amount',
        },
      );
    }
    const refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: newId('txn'),
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      destination_details: {
        type: 'card',
        card: { type: 'refund', reference_status: 'pending', reference_type: 'acquirer_reference_number' },
      },
      metadata: metadata(params) ?? {},
      payment_intent: charge.payment_intent,
      reason: oneOf(params, 'reason', REASONS) ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: this.pendingByDefault ? 'pending' : 'succeeded',
      transfer_reversal: null,
    } as unknown as Stripe.Refund;
    this.state.refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    this.emit('refund.created', refund);
    this.emit('charge.refunded', charge);
    return refund;
  }

  update(id: string, params: Params): Stripe.Refund {
    const refund = this.get(id);
    const meta = metadata(params, refund.metadata ?? {});
    if (meta) refund.metadata = meta;
    this.emit('refund.updated', refund);
    return refund;
  }

  /** A refund that later fails or succeeds at the bank (control). */
  settle(id: string, outcome: 'succeeded' | 'failed'): Stripe.Refund {
    const refund = this.get(id);
    if (refund.status === 'failed' || refund.status === 'canceled')
      throw invalid(`Refund ${id} is ${refund.status}.`, 'refund');
    if (outcome === refund.status) return refund;
    const charge = this.state.charges.get(String(refund.charge))!;
    refund.status = outcome;
    if (outcome === 'failed') {
      refund.failure_reason = 'expired_or_canceled_card';
      refund.failure_balance_transaction = newId('txn');
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
      this.emit('refund.failed', refund);
    }
    this.emit('refund.updated', refund);
    this.emit('charge.refund.updated', refund);
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

export class Disputes {
  constructor(
    private readonly state: EmulatorState,
    private readonly emit: Emit,
  ) {}

  get(id: string): Stripe.Dispute {
    const dispute = this.state.disputes.get(id);
    if (!dispute) throw missing('dispute', id, 'dispute');
    return dispute;
  }

  /** A cardholder disputes a captured charge; card funds are withdrawn at once. */
  open(chargeId: string, params: Params): Stripe.Dispute {
    const charge = this.state.charges.get(chargeId);
    if (!charge) throw missing('charge', chargeId, 'charge');
    if (!charge.captured || charge.amount_captured === 0)
      throw invalid('Only a captured charge can be disputed.', 'charge');
    const amount = int(params, 'amount', { min: 1 }) ?? charge.amount_captured;
    if (amount > charge.amount_captured) throw invalid('A dispute cannot exceed the captured amount.', 'amount');
    const dispute = {
      id: newId('dp'),
      object: 'dispute',
      amount,
      balance_transactions: [
        {
          id: newId('txn'),
          object: 'balance_transaction',
          amount: -amount,
          currency: charge.currency,
          type: 'adjustment',
        },
      ],
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      evidence: {},
      evidence_details: { due_by: nowSeconds() + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: charge.payment_intent,
      reason: str(params, 'reason') ?? 'fraudulent',
      status: 'needs_response',
    } as unknown as Stripe.Dispute;
    this.state.disputes.set(dispute.id, dispute);
    charge.disputed = true;
    this.emit('charge.dispute.created', dispute);
    this.emit('charge.dispute.funds_withdrawn', dispute);
    return dispute;
  }

  close(id: string, outcome: 'won' | 'lost'): Stripe.Dispute {
    const dispute = this.get(id);
    if (dispute.status === 'won' || dispute.status === 'lost')
      throw invalid(`Dispute ${id} is already closed (${dispute.status}).`, 'dispute');
    dispute.status = outcome;
    if (outcome === 'won') {
      dispute.balance_transactions.push({
        id: newId('txn'),
        object: 'balance_transaction',
        amount: dispute.amount,
        currency: dispute.currency,
        type: 'adjustment',
      } as unknown as Stripe.BalanceTransaction);
      this.emit('charge.dispute.funds_reinstated', dispute);
    }
    this.emit('charge.dispute.closed', dispute);
    return dispute;
  }

  list(params: Params): Stripe.Dispute[] {
    const pi = str(params, 'payment_intent');
    const charge = str(params, 'charge');
    return [...this.state.disputes.values()].filter(
      (d) => (!pi || d.payment_intent === pi) && (!charge || d.charge === charge),
    );
  }
}
