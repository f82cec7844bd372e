import type { Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { statusOf } from '../commercetools/port';
import { describePaymentName, METADATA, namedPayment } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';
import { loadSnapshot } from '../stripe/snapshot';
import { converge, LinkedElsewhere, readCartAlongside, type Converged } from './converge';
import { isAccepted, wasAttempted } from './coverage';
import { snapshotShows } from './event-state';
import { mergeHints, type SyncHints } from './extras';
import { ensureOrder, type OrderResult } from './orders';
import { ensureSavedPaymentMethod } from './saved-methods';

export type { SyncHints } from './extras';

export type SyncResult =
  | {
      status: 'applied' | 'unchanged';
      paymentId: string;
      paymentIntentId: string;
      version: number;
      order: OrderResult | 'skipped';
    }
  | {
      status: 'ignored';
      reason: string;
      paymentIntentId: string;
      /** The commercetools payment the PaymentIntent names, when it does not exist. */
      missingPaymentId?: string;
      /** The PaymentIntent took money that its payment, linked to another one, does not record. */
      unrecordedOn?: string;
    };

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
  if ('status' in applied) return applied;
  // Outside the queue: the next sync of this PaymentIntent (the browser's confirm) need not wait
  // for the order; order creation has its own per-cart guard.
  const { before, payment, snapshot } = applied;
  const failedRelease = snapshot.refunds?.find(
    (r) => r.metadata?.[METADATA.reason] === 'cart_changed' && (r.status === 'failed' || r.status === 'canceled'),
  );
  if (failedRelease) {
    deps.log.error(
      { paymentId: payment.id, paymentIntentId, refundId: failedRelease.id },
      'the refund giving back a payment whose cart changed failed at Stripe: return the money another way',
    );
  }
  const settled = ['requires_capture', 'succeeded', 'canceled'].includes(snapshot.paymentIntent.status);
  // The cart this processor accepted the payment against moments ago (this sync, or the
  // confirmation that came first), taken once.
  const accepted = deps.orders.takeAccepted(payment.id);
  const order = settled ? await ensureOrder(deps, payment, snapshot, accepted) : 'skipped';
  await ensureSavedPaymentMethod(deps, payment, snapshot);
  return {
    status: payment.version === before.version ? 'unchanged' : 'applied',
    paymentId: payment.id,
    paymentIntentId,
    version: payment.version,
    order,
  };
}

const foreign = (
  paymentIntent: Stripe.PaymentIntent,
  payment: Payment,
): Extract<SyncResult, { status: 'ignored' }> => ({
  status: 'ignored',
  reason: 'the commercetools payment belongs to another PaymentIntent',
  paymentIntentId: paymentIntent.id,
  ...(wasAttempted(paymentIntent) ? { unrecordedOn: payment.id } : {}),
});

/** Events that mean the payment may have just been authorized: its cart is about to be checked. */
const AUTHORIZING = ['payment_intent.succeeded', 'payment_intent.amount_capturable_updated', 'charge.succeeded'];

async function applyNow(
  deps: PaymentsDeps,
  paymentIntentId: string,
  hints: SyncHints,
): Promise<Converged | Extract<SyncResult, { status: 'ignored' }>> {
  const { stripe, ct, config } = deps;
  const events = hints.events ?? [];
  // The sync of this PaymentIntent just before this one (the confirmation, or the webhook of the
  // same moment) may have read Stripe's state since these events: then they need no read.
  const known = deps.reads.snapshot(paymentIntentId);
  const shown = known && events.length > 0 && events.every((event) => snapshotShows(known, event.object));
  // A payment this process made, not accepted yet, whose authorization the events announce: its
  // cart is checked next, so it is read alongside Stripe rather than after it.
  const made = shown ? undefined : deps.reads.checkout(paymentIntentId);
  const recent = made && ct.recentPayment(made.paymentId);
  const cart =
    made && recent && !isAccepted(recent, paymentIntentId) && events.some((e) => AUTHORIZING.includes(e.type))
      ? readCartAlongside(deps, made.cartId)
      : undefined;
  const base = shown ? known : await loadSnapshot(stripe, paymentIntentId);
  const pi = base.paymentIntent;
  if (pi.metadata[METADATA.projectKey] !== config.commercetools.projectKey) {
    return { status: 'ignored', reason: 'not a PaymentIntent of this project', paymentIntentId };
  }
  const named = namedPayment(pi.metadata);
  if (!named) return { status: 'ignored', reason: 'no commercetools payment linked', paymentIntentId };

  // The version this process wrote last, when it has one: the update is planned against it and
  // guarded by its version, so a copy another process has since changed costs a conflict and
  // fresh reads (the plan is then made anew), never a wrong write.
  let payment = named.id !== undefined ? ct.recentPayment(named.id) : ct.recentPaymentByKey(named.key);
  if (!payment) {
    try {
      payment = named.id !== undefined ? await ct.getPayment(named.id) : await ct.getPaymentByKey(named.key);
    } catch (error) {
      // The PaymentIntent names a payment that does not exist (deleted, never made in this
      // project, or not made because commercetools refused it while the PaymentIntent was made
      // alongside: that one was never handed out): no retry can fix that, reconcile lists it.
      if (statusOf(error) !== 404) throw error;
      return {
        status: 'ignored',
        reason: 'the commercetools payment it names does not exist',
        paymentIntentId,
        missingPaymentId: describePaymentName(named),
      };
    }
  }
  if (payment.interfaceId && payment.interfaceId !== pi.id) return foreign(pi, payment);
  try {
    return await converge(deps, payment.id, paymentIntentId, {
      snapshot: base,
      payment,
      hints,
      ...(cart ? { cart } : {}),
    });
  } catch (error) {
    // Linked to another PaymentIntent since the copy above was read.
    if (error instanceof LinkedElsewhere) return foreign(pi, payment);
    throw error;
  }
}
