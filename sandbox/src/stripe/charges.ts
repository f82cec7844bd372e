import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { missing } from './errors';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';
import { idealBank, type Decline, type TestMethod } from './test-methods';

/** 3-D Secure as the charge reports it after a completed challenge (Visa's ECI 05: authenticated). */
function threeDSecure(): Stripe.Charge.PaymentMethodDetails.Card.ThreeDSecure {
  return {
    authentication_flow: 'challenge',
    electronic_commerce_indicator: '05',
    exemption_indicator: null,
    result: 'authenticated',
    result_reason: null,
    transaction_id: randomUUID(),
    version: '2.2.0',
  };
}

function cardDetails(
  card: NonNullable<TestMethod['card']>,
  authenticated: boolean,
): Stripe.Charge.PaymentMethodDetails.Card {
  return {
    amount_authorized: null,
    authorization_code: '123456',
    brand: card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country: card.country,
    // Only an authenticated payment has an ECI; the card's own is that of its 3-D Secure.
    electronic_commerce_indicator: authenticated ? '05' : null,
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    fingerprint: `fp${card.last4}${card.brand}`,
    funding: card.funding,
    installments: null,
    last4: card.last4,
    mandate: null,
    network: card.brand,
    network_token: { used: false },
    network_transaction_id: newId('ntx'),
    regulated_status: 'unregulated',
    three_d_secure: authenticated ? threeDSecure() : null,
    transaction_link_id: null,
    wallet: null,
  };
}

function methodDetails(method: TestMethod, authenticated: boolean): Stripe.Charge.PaymentMethodDetails {
  const details: Stripe.Charge.PaymentMethodDetails = { type: method.type };
  if (method.card) details.card = cardDetails(method.card, authenticated);
  if (method.sepa_debit) {
    details.sepa_debit = {
      bank_code: method.sepa_debit.bank_code,
      branch_code: null,
      country: method.sepa_debit.country,
      fingerprint: `fpsepa${method.sepa_debit.last4}`,
      last4: method.sepa_debit.last4,
      mandate: newId('mandate'),
    };
  }
  if (method.ideal) {
    details.ideal = {
      ...idealBank(method.ideal.bank),
      generated_sepa_debit: null,
      generated_sepa_debit_mandate: null,
      iban_last4: '5264',
      transaction_id: null,
      verified_name: 'Jenny Rosen',
    };
  }
  return details;
}

export interface NewCharge {
  pi: Stripe.PaymentIntent;
  method: TestMethod;
  billing: Stripe.PaymentMethod.BillingDetails;
  status: 'succeeded' | 'pending' | 'failed';
  authenticated: boolean;
  failure?: Decline;
}

/** A payment attempt of a PaymentIntent: captured later (captures update it), or never when it failed. */
export function createCharge(state: EmulatorState, input: NewCharge): Stripe.Charge {
  const { pi, method } = input;
  const failed = input.status === 'failed';
  const charge: Stripe.Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: structuredClone(input.billing),
    calculated_statement_descriptor: 'SANDBOX SHOP',
    captured: false,
    created: nowSeconds(),
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: input.failure?.code ?? null,
    failure_message: input.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: failed
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'declined_by_network',
          reason: input.failure?.declineCode ?? input.failure?.code ?? null,
          risk_level: 'normal',
          risk_score: 20,
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          risk_score: 20,
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: input.status === 'succeeded',
    payment_intent: pi.id,
    payment_method: typeof pi.payment_method === 'string' ? pi.payment_method : (pi.payment_method?.id ?? null),
    payment_method_details: methodDetails(method, input.authenticated),
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: pi.shipping ? structuredClone(pi.shipping) : null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: input.status,
    transfer_data: null,
    transfer_group: null,
  };
  state.charges.set(charge.id, charge);
  return charge;
}

export function getCharge(state: EmulatorState, id: string): Stripe.Charge {
  const charge = state.charges.get(id);
  if (!charge) throw missing('charge', id, 'charge');
  return charge;
}
