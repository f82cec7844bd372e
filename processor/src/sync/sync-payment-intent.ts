import type { Payment } from '@commercetools/platform-sdk';
import { METADATA } from '../payments/checkout-context';
import type { PaymentsDeps } from '../payments/deps';
import { CardDetailsTypeKey, PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import { applySnapshot, cardDetails, loadSnapshot, type ApplyExtras } from './apply';
import type { PaymentIntentSnapshot } from './desired-transactions';
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
  /** The Stripe events that triggered the sync (recorded as interface interactions: ids only). */
  events?: readonly { id: string; type: string; created: number }[];
}

const hasTx = (payment: Payment, type: string) => payment.transactions.some((t) => t.type === type);

/** Card details and the triggering event, as far as the custom types post-deploy created allow. */
export async function syncExtras(
  deps: PaymentsDeps,
  snapshot: PaymentIntentSnapshot,
  events: SyncHints['events'] = [],
): Promise<ApplyExtras> {
  const types = await deps.customTypes();
  const card = types.cardDetails ? cardDetails(snapshot) : undefined;
  const record = deps.config.webhooks.record;
  return {
    ...(card ? { card: { typeKey: CardDetailsTypeKey, fields: card } } : {}),
    ...(events.length > 0 && types.interactions && record !== 'none'
      ? {
          recordInteractions: record,
          interactions: events.map((event) => ({
            typeKey: PaymentInterfaceInteractionTypeKey,
            fields: {
              interactionId: event.id,
              type: event.type,
              createdAt: new Date(event.created * 1000).toISOString(),
            },
          })),
        }
      : {}),
  };
}

const mergeHints = (a: SyncHints, b: SyncHints): SyncHints => ({
  ...(a.refunds || b.refunds ? { refunds: true } : {}),
  ...(a.disputes || b.disputes ? { disputes: true } : {}),
  events: [...(a.events ?? []), ...(b.events ?? [])],
});

/**
 * Makes the commercetools payment of a PaymentIntent match Stripe. Idempotent and order-free:
 * duplicate, late or reordered triggers converge to the same state. Throws when Stripe or
 * commercetools could not be read or written, so that the caller can ask for a retry. Syncs of
 * one PaymentIntent run one after the other in this process, and triggers arriving while one
 * runs share the next (see `coalesced`). Stripe is always read afresh; commercetools only when
 * this process has not seen the payment in the last minute.
 */
export async function syncPaymentIntent(
  deps: PaymentsDeps,
  paymentIntentId: string,
  hints: SyncHints = {},
): Promise<SyncResult> {
  const applied = await deps.serial.coalesced(paymentIntentId, hints, mergeHints, (merged) =>
    applyNow(deps, paymentIntentId, merged),
  );
  if (applied.status === 'ignored') return applied;
  // Outside the queue: the next sync of this PaymentIntent (the browser's confirm) need not wait
  // for the order; order creation has its own per-cart guard.
  const { payment, updated, snapshot } = applied;
  const settled = ['requires_capture', 'succeeded', 'canceled'].includes(snapshot.paymentIntent.status);
  const order = settled ? await ensureOrder(deps, updated, snapshot) : 'skipped';
  return {
    status: updated.version === payment.version ? 'unchanged' : 'applied',
    paymentId: payment.id,
    paymentIntentId,
    version: updated.version,
    order,
  };
}

type Applied =
  | { status: 'applied'; payment: Payment; updated: Payment; snapshot: PaymentIntentSnapshot }
  | Extract<SyncResult, { status: 'ignored' }>;

async function applyNow(deps: PaymentsDeps, paymentIntentId: string, hints: SyncHints): Promise<Applied> {
  const { stripe, ct, config } = deps;
  const base = await loadSnapshot(stripe, paymentIntentId);
  const pi = base.paymentIntent;
  if (pi.metadata[METADATA.projectKey] !== config.commercetools.projectKey) {
    return { status: 'ignored', reason: 'not a PaymentIntent of this project', paymentIntentId };
  }
  const paymentId = pi.metadata[METADATA.paymentId];
  if (!paymentId) return { status: 'ignored', reason: 'no commercetools payment linked', paymentIntentId };

  // The version this process wrote last, when it has one: the update is planned against it and
  // guarded by its version, so a copy another process has since changed costs a conflict and a
  // fresh read (the plan is then recomputed), never a wrong write.
  const payment = ct.recentPayment(paymentId) ?? (await ct.getPayment(paymentId));
  if (payment.interfaceId && payment.interfaceId !== pi.id) {
    return { status: 'ignored', reason: 'the commercetools payment belongs to another PaymentIntent', paymentIntentId };
  }
  const charge = base.charge;
  const refunds = Boolean(hints.refunds || (charge?.amount_refunded ?? 0) > 0 || hasTx(payment, 'Refund'));
  const disputes = Boolean(hints.disputes || charge?.disputed || hasTx(payment, 'Chargeback'));
  const snapshot =
    refunds || disputes ? await loadSnapshot(stripe, paymentIntentId, { refunds, disputes }, base) : base;
  const extras = await syncExtras(deps, snapshot, hints.events);
  const updated = await applySnapshot(ct, payment, snapshot, extras);
  return { status: 'applied', payment, updated, snapshot };
}
