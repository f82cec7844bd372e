import type Stripe from 'stripe';
import { DISPUTE_FEE, recordBalance } from './balance';
import { getCharge } from './charges';
import { invalid, missing } from './errors';
import { bool, int, metadata, obj, str, type Params } from './form';
import { EVIDENCE_FIELDS } from './evidence';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';

type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

/** Evidence as Stripe shows it before any is given: every field null, no enhanced evidence. */
function noEvidence(): Stripe.Dispute.Evidence {
  const fields = Object.fromEntries(EVIDENCE_FIELDS.map((field) => [field, null])) as Record<EvidenceField, null>;
  return { ...fields, enhanced_evidence: {} };
}

const CLOSED = ['won', 'lost', 'warning_closed', 'prevented'];
const NETWORK_REASON: Record<string, string> = { fraudulent: '10.4', product_not_received: '13.1', general: '13.7' };

const isInquiry = (dispute: Stripe.Dispute) => dispute.status.startsWith('warning_');

/**
 * Disputes: a chargeback withdraws the money (plus Stripe's fee) at once; an inquiry moves none
 * until it escalates. Evidence values `winning_evidence`, `losing_evidence` and
 * `escalate_inquiry_evidence` in `uncategorized_text` decide the outcome, as in Stripe's test mode.
 */
export class Disputes {
  constructor(private readonly state: EmulatorState) {}

  get(id: string): Stripe.Dispute {
    const dispute = this.state.disputes.get(id);
    if (!dispute) throw missing('dispute', id, 'dispute');
    return dispute;
  }

  open(chargeId: string, params: Params): Stripe.Dispute {
    const charge = getCharge(this.state, chargeId);
    if (!charge.captured || charge.amount_captured === 0 || charge.status !== 'succeeded')
      throw invalid('Only a captured charge can be disputed.', 'charge');
    const amount = int(params, 'amount', { min: 1 }) ?? charge.amount_captured;
    if (amount > charge.amount_captured) throw invalid('A dispute cannot exceed the captured amount.', 'amount');
    const inquiry = bool(params, 'inquiry') ?? false;
    const reason = str(params, 'reason') ?? 'fraudulent';
    const card = charge.payment_method_details?.card;
    const dispute: Stripe.Dispute = {
      id: newId('dp'),
      object: 'dispute',
      amount,
      balance_transactions: [],
      charge: charge.id,
      created: nowSeconds(),
      currency: charge.currency,
      enhanced_eligibility_types: [],
      evidence: noEvidence(),
      evidence_details: {
        due_by: nowSeconds() + 7 * 86400,
        enhanced_eligibility: {},
        has_evidence: false,
        past_due: false,
        submission_count: 0,
        submission_method: 'not_submitted',
      },
      intended_submission_method: null,
      is_charge_refundable: inquiry,
      livemode: false,
      metadata: {},
      network_reason_code: NETWORK_REASON[reason] ?? '13.7',
      payment_intent: charge.payment_intent,
      ...(card
        ? {
            payment_method_details: {
              type: 'card',
              card: {
                brand: card.brand ?? 'visa',
                network: card.network ?? card.brand ?? 'visa',
                case_type: inquiry ? 'inquiry' : 'chargeback',
                network_reason_code: NETWORK_REASON[reason] ?? '13.7',
              },
            },
          }
        : {}),
      reason,
      status: inquiry ? 'warning_needs_response' : 'needs_response',
    };
    this.state.disputes.set(dispute.id, dispute);
    charge.disputed = true;
    this.state.emit('charge.dispute.created', dispute);
    if (!inquiry) this.withdraw(dispute);
    return dispute;
  }

  private withdraw(dispute: Stripe.Dispute): void {
    dispute.is_charge_refundable = false;
    dispute.balance_transactions.push(
      recordBalance(this.state, {
        type: 'adjustment',
        amount: -dispute.amount,
        fee: DISPUTE_FEE,
        currency: dispute.currency,
        source: dispute.id,
        description: `Chargeback withdrawal for ${String(dispute.charge)}`,
      }),
    );
    this.state.emit('charge.dispute.funds_withdrawn', dispute);
  }

  private requireOpen(dispute: Stripe.Dispute): void {
    if (CLOSED.includes(dispute.status)) {
      throw invalid(
        `This dispute is already closed (status ${dispute.status}) and can no longer be updated.`,
        'dispute',
        'dispute_already_closed',
      );
    }
  }

  /** `POST /v1/disputes/:id`: evidence, metadata, and with `submit` the response to the bank. */
  update(id: string, params: Params): Stripe.Dispute {
    const dispute = this.get(id);
    this.requireOpen(dispute);
    const before = structuredClone(dispute);
    const evidence = obj(params, 'evidence');
    if (evidence) {
      for (const [field, value] of Object.entries(evidence)) {
        if (!(EVIDENCE_FIELDS as readonly string[]).includes(field) || typeof value !== 'string')
          throw invalid(`Received unknown parameter: evidence[${field}]`, `evidence[${field}]`, 'parameter_unknown');
        dispute.evidence[field as EvidenceField] = value;
      }
      dispute.evidence_details.has_evidence = true;
    }
    const meta = metadata(params, dispute.metadata);
    if (meta) dispute.metadata = meta;
    const submit = bool(params, 'submit') ?? true;
    if (evidence && submit) {
      dispute.evidence_details.submission_count += 1;
      dispute.evidence_details.submission_method = 'manual';
      dispute.status = isInquiry(dispute) ? 'warning_under_review' : 'under_review';
    }
    this.state.emitUpdated('charge.dispute.updated', dispute, before);
    if (evidence && submit) {
      const magic = dispute.evidence.uncategorized_text;
      if (magic === 'winning_evidence') return this.close(id, 'won');
      if (magic === 'losing_evidence') return this.close(id, 'lost');
      if (magic === 'escalate_inquiry_evidence' && isInquiry(dispute)) {
        const inquiry = structuredClone(dispute);
        dispute.status = 'needs_response';
        this.withdraw(dispute);
        this.state.emitUpdated('charge.dispute.updated', dispute, inquiry);
      }
    }
    return dispute;
  }

  /** `POST /v1/disputes/:id/close`: the merchant accepts the dispute, which is then lost. */
  accept(id: string): Stripe.Dispute {
    return this.close(id, 'lost');
  }

  /** The bank's decision. An inquiry closes as `warning_closed` either way: no money moved. */
  close(id: string, outcome: 'won' | 'lost'): Stripe.Dispute {
    const dispute = this.get(id);
    this.requireOpen(dispute);
    if (isInquiry(dispute)) {
      dispute.status = 'warning_closed';
    } else {
      dispute.status = outcome;
      if (outcome === 'won') {
        // The disputed amount comes back; Stripe keeps its dispute fee.
        dispute.balance_transactions.push(
          recordBalance(this.state, {
            type: 'adjustment',
            amount: dispute.amount,
            fee: 0,
            currency: dispute.currency,
            source: dispute.id,
            description: `Chargeback reversal for ${String(dispute.charge)}`,
          }),
        );
        this.state.emit('charge.dispute.funds_reinstated', dispute);
      }
    }
    this.state.emit('charge.dispute.closed', dispute);
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
