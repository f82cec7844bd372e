import type Stripe from 'stripe';
import { present } from '../core/present';
import { markRead } from '../core/recent-reads';
import type { PaymentIntentSnapshot } from '../core/snapshot';

export type { PaymentIntentSnapshot } from '../core/snapshot';

/** Expand this on every PaymentIntent read or write whose answer feeds a snapshot. */
export const WITH_CHARGE = ['latest_charge'];

/** The PaymentIntent's latest charge, when it was expanded and there is one. */
export function expandedCharge(paymentIntent: Stripe.PaymentIntent): Stripe.Charge | undefined {
  const charge = paymentIntent.latest_charge;
  return typeof charge === 'object' && charge ? charge : undefined;
}

/** The PaymentIntent with its charge (expanded, see `WITH_CHARGE`), marked with the time it was read. */
export async function retrieveWithCharge(stripe: Stripe, paymentIntentId: string): Promise<Stripe.PaymentIntent> {
  const paymentIntent = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: WITH_CHARGE });
  markRead(paymentIntent);
  return paymentIntent;
}

/**
 * The snapshot of a PaymentIntent Stripe just answered (a capture, a cancel, a read), keeping the
 * refunds and disputes of `lists`. `undefined` when its charge was not expanded.
 */
export function snapshotOf(
  paymentIntent: Stripe.PaymentIntent,
  lists: Pick<PaymentIntentSnapshot, 'refunds' | 'disputes'> = {},
): PaymentIntentSnapshot | undefined {
  if (typeof paymentIntent.latest_charge === 'string') return undefined;
  const charge = expandedCharge(paymentIntent);
  return { paymentIntent, ...present({ charge, refunds: lists.refunds, disputes: lists.disputes }) };
}

export interface SnapshotOptions {
  /** Also list the PaymentIntent's refunds (needed once anything was refunded). */
  refunds?: boolean;
  /** Also list its disputes. */
  disputes?: boolean;
}

const list = <T>(page: Stripe.ApiListPromise<T>) => page.autoPagingToArray({ limit: 1000 });

/**
 * Reads what Stripe knows about a PaymentIntent; the lists are fetched in parallel. With
 * `known`, the PaymentIntent already read is reused and only the lists are fetched.
 */
export async function loadSnapshot(
  stripe: Stripe,
  paymentIntentId: string,
  options: SnapshotOptions = {},
  known?: PaymentIntentSnapshot,
): Promise<PaymentIntentSnapshot> {
  const [paymentIntent, refunds, disputes] = await Promise.all([
    known?.paymentIntent ?? retrieveWithCharge(stripe, paymentIntentId),
    options.refunds ? list(stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 })) : undefined,
    options.disputes ? list(stripe.disputes.list({ payment_intent: paymentIntentId, limit: 100 })) : undefined,
  ]);
  const charge = expandedCharge(paymentIntent);
  return { paymentIntent, ...present({ charge, refunds, disputes }) };
}
