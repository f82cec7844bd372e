import type Stripe from 'stripe';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';
import type { TestMethod } from './test-methods';

/** Charge and payment-method objects as the API returns them. */

export function paymentMethodObject(method: TestMethod, customer: string | null = null): Stripe.PaymentMethod {
  return {
    id: method.id,
    object: 'payment_method',
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    created: nowSeconds(),
    customer,
    livemode: false,
    metadata: {},
    type: method.type,
    ...(method.card
      ? {
          card: {
            ...method.card,
            checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
            display_brand: method.card.brand,
            fingerprint: `fp_${method.card.last4}`,
            networks: { available: [method.card.brand], preferred: null },
            three_d_secure_usage: { supported: true },
            wallet: null,
          },
        }
      : {}),
    ...(method.sepa_debit
      ? { sepa_debit: { ...method.sepa_debit, branch_code: null, fingerprint: 'fp_sepa', generated_from: null } }
      : {}),
    ...(method.ideal ? { ideal: { ...method.ideal, bic: 'INGBNL2A' } } : {}),
  } as unknown as Stripe.PaymentMethod;
}

function methodDetails(method: TestMethod): Stripe.Charge.PaymentMethodDetails {
  return {
    type: method.type,
    ...(method.card
      ? {
          card: {
            ...method.card,
            checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
            network: method.card.brand,
            three_d_secure:
              method.behaviour.kind === 'authenticate'
                ? { authentication_flow: 'challenge', result: 'authenticated', version: '2.2.0' }
                : null,
            wallet: null,
          },
        }
      : {}),
    ...(method.sepa_debit
      ? { sepa_debit: { ...method.sepa_debit, branch_code: null, fingerprint: 'fp_sepa', mandate: 'mandate_sandbox' } }
      : {}),
    ...(method.ideal
      ? { ideal: { ...method.ideal, bic: 'INGBNL2A', iban_last4: '5264', verified_name: 'Sandra Box' } }
      : {}),
  } as unknown as Stripe.Charge.PaymentMethodDetails;
}

export interface NewCharge {
  pi: Stripe.PaymentIntent;
  method: TestMethod;
  status: 'succeeded' | 'pending' | 'failed';
  captured: boolean;
  failure?: { code: string; message: string; declineCode?: string };
}

export function createCharge(state: EmulatorState, input: NewCharge): Stripe.Charge {
  const { pi, method } = input;
  const id = newId('ch');
  const charge = {
    id,
    object: 'charge',
    amount: pi.amount,
    amount_captured: input.captured ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: input.captured && input.status === 'succeeded' ? newId('txn') : null,
    billing_details: {
      address: null,
      email: pi.receipt_email ?? null,
      name: pi.shipping?.name ?? null,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: 'SANDBOX SHOP',
    captured: input.captured,
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
    outcome:
      input.status === 'failed'
        ? {
            network_status: 'declined_by_network',
            reason: input.failure?.declineCode ?? null,
            risk_level: 'normal',
            seller_message: 'The bank did not return any further details with this decline.',
            type: 'issuer_declined',
          }
        : {
            network_status: 'approved_by_network',
            reason: null,
            risk_level: 'normal',
            seller_message: 'Payment complete.',
            type: 'authorized',
          },
    paid: input.status === 'succeeded',
    payment_intent: pi.id,
    payment_method: method.id,
    payment_method_details: methodDetails(method),
    receipt_email: pi.receipt_email,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: pi.shipping,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: input.status,
    transfer_data: null,
    transfer_group: null,
  } as unknown as Stripe.Charge;
  state.charges.set(id, charge);
  return charge;
}

export function listObject<T>(data: T[], url: string, hasMore = false): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: hasMore, url };
}

/** Newest first, with `limit` and `starting_after`, like every Stripe list. */
export function paginate<T extends { id: string; created: number }>(
  items: T[],
  params: Record<string, unknown>,
  url: string,
): Stripe.ApiList<T> {
  const sorted = [...items].reverse().sort((a, b) => b.created - a.created);
  const limit = Math.min(100, Math.max(1, Number(params.limit ?? 10) || 10));
  let start = 0;
  if (typeof params.starting_after === 'string') {
    const index = sorted.findIndex((item) => item.id === params.starting_after);
    start = index < 0 ? sorted.length : index + 1;
  }
  const page = sorted.slice(start, start + limit);
  return listObject(page, url, start + limit < sorted.length);
}
