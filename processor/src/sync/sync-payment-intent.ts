import type { Payment } from '@commercetools/platform-sdk';
import { METADATA } from '../payments/checkout-context';
import type { PaymentsDeps } from '../payments/deps';
import { CardDetailsTypeKey, PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import { applySnapshot, cardDetails, loadSnapshot } from './apply';
import { ensureOrder, type OrderResult } from './orders';

export type SyncResult =
  | {
      status: 'applied' | 'unchanged';
      paymentId: string;
      paymentIntentId: string;
      version: number;
      order: OrderResult | 'skipped';
    }
  | { status: 'ignored'; reason: string; paymentIntentId: string };

export interface SyncHints {
  /** The trigger was about refunds: list them even if the charge shows none any more. */
  refunds?: boolean;
  disputes?: boolean;
  /** The Stripe event that triggered the sync (recorded as an interface interaction: ids only). */
  event?: { id: string; type: string; created: number };
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
  const types = await deps.customTypes();
  const card = types.cardDetails ? cardDetails(snapshot) : undefined;
  const event = hints.event;
  const updated = await applySnapshot(ct, payment, snapshot, {
    ...(card ? { card: { typeKey: CardDetailsTypeKey, fields: card } } : {}),
    ...(event && types.interactions
      ? {
          interaction: {
            typeKey: PaymentInterfaceInteractionTypeKey,
            fields: {
              interactionId: event.id,
              type: event.type,
              createdAt: new Date(event.created * 1000).toISOString(),
            },
          },
        }
      : {}),
  });
  const settled = ['requires_capture', 'succeeded', 'canceled'].includes(pi.status);
  const order = settled ? await ensureOrder(deps, updated, snapshot) : 'skipped';
  return {
    status: updated.version === payment.version ? 'unchanged' : 'applied',
    paymentId: payment.id,
    paymentIntentId,
    version: updated.version,
    order,
  };
}
