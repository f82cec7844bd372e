import type { Cart, Payment, PaymentUpdateAction } from '@commercetools/platform-sdk';
import { backoff, isConflict } from '../commercetools/port';
import type { PaymentsDeps } from '../core/deps';
import { desiredCtTransactions, paymentMethodType } from './apply';
import { loadSnapshot, type SnapshotOptions } from '../stripe/snapshot';
import { cartCoverage, heldAmount, isAccepted, releasedForCartChange } from './coverage';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';
import { planPaymentActions, type PaymentFacts } from './plan-actions';
import { releasePayment } from './release';
import { syncExtras, type SyncHints } from './extras';

const MAX_ATTEMPTS = 6;

/**
 * The payment is linked to another PaymentIntent than the one being synced (seen on a copy read
 * after a version conflict, or passed in): nothing of this PaymentIntent is written on it.
 */
export class LinkedElsewhere extends Error {
  constructor(
    readonly paymentId: string,
    readonly paymentIntentId: string,
    readonly linkedTo: string,
  ) {
    super(`Payment ${paymentId} is linked to another PaymentIntent (${linkedTo}), not ${paymentIntentId}.`);
    this.name = 'LinkedElsewhere';
  }
}

function mustBeLinkedTo(payment: Payment, paymentIntentId: string): void {
  if (payment.interfaceId && payment.interfaceId !== paymentIntentId) {
    throw new LinkedElsewhere(payment.id, paymentIntentId, payment.interfaceId);
  }
}

export interface ConvergeOptions {
  /** Stripe's state read moments ago: the first plan uses it; after a conflict Stripe is read again. */
  snapshot?: PaymentIntentSnapshot;
  /** The copy of the payment to plan against first (a version conflict reads it again). */
  payment?: Payment;
  hints?: SyncHints;
  /** More actions for the same write (e.g. an operation's answer); empty once they are there. */
  also?: (current: Payment, snapshot: PaymentIntentSnapshot) => PaymentUpdateAction[];
  /** A capture this process made (Stripe's answer to it), so that it is recorded as its own transaction. */
  capture?: PaymentIntentSnapshot['capture'];
  /**
   * The cart, read alongside Stripe (settles to undefined when that read failed): the first check
   * of the payment against its cart uses it when it is the PaymentIntent's cart; after a conflict
   * the cart is read again.
   */
  cart?: Promise<Cart | undefined>;
}

export interface Converged {
  /** The payment as it was before this write. */
  before: Payment;
  /** The payment after it. */
  payment: Payment;
  /** The Stripe state it was planned from. */
  snapshot: PaymentIntentSnapshot;
  /** The payment was given back because it did not match its cart (now or before). */
  releasedForCartChange: boolean;
  /** The cart the payment was just held against and found matching (when that check ran now). */
  matchedCart?: Cart;
}

/**
 * The cart with its payments, read now alongside Stripe for `converge`'s `cart`: a failed read
 * settles to undefined (the check then reads the cart itself and meets the failure there).
 */
export const readCartAlongside = (deps: PaymentsDeps, cartId: string): Promise<Cart | undefined> =>
  deps.ct.getCartWithPayments(cartId).catch(() => undefined);

function listsNeeded(payment: Payment, snapshot: PaymentIntentSnapshot, hints: SyncHints): SnapshotOptions {
  const has = (type: string) => payment.transactions.some((t) => t.type === type);
  const charge = snapshot.charge;
  return {
    refunds: Boolean(hints.refunds || (charge?.amount_refunded ?? 0) > 0 || has('Refund')),
    disputes: Boolean(hints.disputes || charge?.disputed || has('Chargeback')),
  };
}

/**
 * Makes the commercetools payment say what Stripe says about its PaymentIntent, in one
 * version-guarded write of only what is missing. The one path for confirm, webhooks, operations
 * and reconcile. A version conflict means someone wrote meanwhile: both commercetools and Stripe
 * are read again and the plan is made anew, so a write is never planned from an older Stripe
 * state than the payment already shows (and the planner never moves a transaction backwards).
 *
 * The first time the payment shows as authorized, it is held against its cart: when the cart now
 * asks another amount, the payment is released instead of accepted (see docs/payment-model.md).
 */
export async function converge(
  deps: PaymentsDeps,
  paymentId: string,
  paymentIntentId: string,
  options: ConvergeOptions = {},
): Promise<Converged> {
  const hints = options.hints ?? {};
  let snapshot = options.snapshot;
  let payment = options.payment ?? deps.ct.recentPayment(paymentId);
  let fresh: Payment | undefined;
  let matchedCart: Cart | undefined;
  for (let attempt = 1; ; attempt++) {
    matchedCart = undefined;
    if (attempt > 1 || !payment) payment = fresh = await deps.ct.getPayment(paymentId);
    // Two PaymentIntents may name one payment; only the one it is linked to may write on it.
    mustBeLinkedTo(payment, paymentIntentId);
    if (attempt > 1 || !snapshot) snapshot = await loadSnapshot(deps.stripe, paymentIntentId);
    const lists = listsNeeded(payment, snapshot, hints);
    if ((lists.refunds && !snapshot.refunds) || (lists.disputes && !snapshot.disputes)) {
      snapshot = await loadSnapshot(deps.stripe, paymentIntentId, lists, snapshot);
    }

    if (heldAmount(snapshot) > 0 && !isAccepted(payment, snapshot.paymentIntent)) {
      const coverage = await cartCoverage(deps, payment, snapshot, attempt === 1 ? await options.cart : undefined);
      if (coverage.verdict === 'matches') matchedCart = coverage.cart;
      if (coverage.verdict === 'differs') {
        // Money moves back only on commercetools' current word: another replica may have
        // accepted the payment (against the cart as it was then) since this copy was read.
        if (payment !== fresh) payment = fresh = await deps.ct.getPayment(paymentId);
        mustBeLinkedTo(payment, paymentIntentId);
        if (!isAccepted(payment, snapshot.paymentIntent)) {
          snapshot = await releasePayment(deps, payment, snapshot, coverage.reason);
        }
      }
    }

    if (options.capture) snapshot = { ...snapshot, capture: options.capture };
    const extras = await syncExtras(deps, snapshot, hints.events);
    const method = paymentMethodType(snapshot);
    const facts: PaymentFacts = {
      interfaceId: snapshot.paymentIntent.id,
      statusCode: snapshot.paymentIntent.status,
      ...(method ? { method } : {}),
      ...extras,
    };
    const actions = [
      ...planPaymentActions(payment, desiredCtTransactions(payment, snapshot), facts),
      ...(options.also?.(payment, snapshot) ?? []),
    ];
    const done = (updated: Payment): Converged => {
      // The next sync of this PaymentIntent (a webhook racing the confirmation) may plan from it.
      deps.reads.rememberSnapshot(snapshot!);
      return {
        before: payment!,
        payment: updated,
        snapshot: snapshot!,
        releasedForCartChange: releasedForCartChange(snapshot!),
        ...(matchedCart ? { matchedCart } : {}),
      };
    };
    if (actions.length === 0) return done(payment);
    try {
      const written = await deps.ct.writePayment(payment, actions);
      // Its order is made from the cart version it was just held against (see ensureOrder).
      if (matchedCart) deps.orders.accepted(paymentId, matchedCart);
      return done(written);
    } catch (error) {
      if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      await backoff(attempt);
    }
  }
}
