import type { Payment } from '@commercetools/platform-sdk';
import { METADATA } from '../payments/checkout-context';
import type { PaymentsDeps } from '../payments/deps';
import { applySnapshot, loadSnapshot } from './apply';

export type SyncResult =
  | { status: 'applied' | 'unchanged'; paymentId: string; paymentIntentId: string; version: number }
  | { status: 'ignored'; reason: string; paymentIntentId: string };

export interface SyncHints {
  /** The trigger was about refunds: list them even if the charge shows none any more. */
  refunds?: boolean;
  disputes?: boolean;
}

const hasTx = (payment: Payment, type: string) => payment.transactions.some((t) => t.type === type);

/**
 * Makes the commercetools payment of a PaymentIntent match Stripe. Idempotent and order-free:
 * duplicate, late or reordered triggers converge to the same state. Throws when Stripe or
 * commercetools could not be read or written, so that the caller can ask for a retry.
 */
export async function syncPaymentIntent(
  deps: PaymentsDeps,
  paymentIntentId: string,
  hints: SyncHints = {},
): Promise<SyncResult> {
  const { stripe, ct, config } = deps;
  const base = await loadSnapshot(stripe, paymentIntentId);
  const pi = base.paymentIntent;
  if (pi.metadata[METADATA.projectKey] !== config.commercetools.projectKey) {
    return { status: 'ignored', reason: 'not a PaymentIntent of this project', paymentIntentId };
  }
  const paymentId = pi.metadata[METADATA.paymentId];
  if (!paymentId) return { status: 'ignored', reason: 'no commercetools payment linked', paymentIntentId };

  const charge = base.charge;
  const payment = await ct.getPayment(paymentId);
  if (payment.interfaceId && payment.interfaceId !== pi.id) {
    return { status: 'ignored', reason: 'the commercetools payment belongs to another PaymentIntent', paymentIntentId };
  }
  const wantRefunds = Boolean(hints.refunds || (charge?.amount_refunded ?? 0) > 0 || hasTx(payment, 'Refund'));
  const wantDisputes = Boolean(hints.disputes || charge?.disputed || hasTx(payment, 'Chargeback'));
  const snapshot =
    wantRefunds || wantDisputes
      ? await loadSnapshot(stripe, paymentIntentId, { refunds: wantRefunds, disputes: wantDisputes }, base)
      : base;
  const updated = await applySnapshot(ct, payment, snapshot);
  return {
    status: updated.version === payment.version ? 'unchanged' : 'applied',
    paymentId: payment.id,
    paymentIntentId,
    version: updated.version,
  };
}
