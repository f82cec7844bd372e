import type { Payment, Transaction } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';

/** Builders for Stripe and commercetools objects: only the fields a test is about need naming. */

export function aPaymentIntent(overrides: Partial<Stripe.PaymentIntent> = {}): Stripe.PaymentIntent {
  return {
    id: 'pi_1',
    object: 'payment_intent',
    amount: 2999,
    amount_capturable: 0,
    amount_received: 0,
    currency: 'eur',
    status: 'requires_payment_method',
    capture_method: 'automatic',
    last_payment_error: null,
    latest_charge: null,
    metadata: {},
    payment_method_types: ['card'],
    ...overrides,
  } as Stripe.PaymentIntent;
}

export function aCharge(overrides: Partial<Stripe.Charge> = {}): Stripe.Charge {
  return {
    id: 'ch_1',
    object: 'charge',
    amount: 2999,
    amount_captured: 0,
    amount_refunded: 0,
    captured: false,
    currency: 'eur',
    status: 'succeeded',
    payment_intent: 'pi_1',
    payment_method_details: { type: 'card' } as Stripe.Charge.PaymentMethodDetails,
    ...overrides,
  } as Stripe.Charge;
}

export function aRefund(overrides: Partial<Stripe.Refund> = {}): Stripe.Refund {
  return {
    id: 're_1',
    object: 'refund',
    amount: 1000,
    currency: 'eur',
    status: 'succeeded',
    payment_intent: 'pi_1',
    ...overrides,
  } as Stripe.Refund;
}

export function aDispute(overrides: Partial<Stripe.Dispute> = {}): Stripe.Dispute {
  return {
    id: 'dp_1',
    object: 'dispute',
    amount: 2999,
    currency: 'eur',
    status: 'needs_response',
    balance_transactions: [],
    ...overrides,
  } as Stripe.Dispute;
}

export function aTransaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: `tx-${Math.random().toString(36).slice(2, 8)}`,
    type: 'Authorization',
    state: 'Initial',
    amount: { type: 'centPrecision', centAmount: 2999, currencyCode: 'EUR', fractionDigits: 2 },
    ...overrides,
  } as Transaction;
}

export function aPayment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: 'payment-1',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastModifiedAt: '2026-01-01T00:00:00.000Z',
    amountPlanned: { type: 'centPrecision', centAmount: 2999, currencyCode: 'EUR', fractionDigits: 2 },
    paymentMethodInfo: { paymentInterface: 'stripe' },
    paymentStatus: {},
    transactions: [],
    interfaceInteractions: [],
    ...overrides,
  } as Payment;
}
