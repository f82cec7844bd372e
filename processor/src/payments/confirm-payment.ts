import type { Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { classifyStripeError } from '../stripe/errors';
import { unhandledStatus } from '../core/exhaustive';
import { expandedCharge, retrieveWithCharge, type PaymentIntentSnapshot } from '../stripe/snapshot';
import { converge, readCartAlongside, type Converged } from '../sync/converge';
import { isAccepted } from '../sync/coverage';
import { ensureSavedPaymentMethod } from '../sync/saved-methods';
import { METADATA, namesPayment } from '../core/metadata';
import { present } from '../core/present';
import { type CheckoutContext } from './checkout-context';
import type { PaymentsDeps } from '../core/deps';

export interface ConfirmPaymentInput {
  paymentReference: string;
  /** The PaymentIntent the browser confirmed, when it says; it must be the payment's. */
  paymentIntentId?: string;
}

export type Outcome = 'approved' | 'pending' | 'rejected';

/** PaymentIntent states no later attempt of the shopper's can leave. */
const SETTLED: readonly Stripe.PaymentIntent.Status[] = ['requires_capture', 'succeeded', 'canceled'];

export interface ConfirmPaymentResult {
  outcome: Outcome;
  paymentReference: string;
  paymentIntentStatus?: Stripe.PaymentIntent.Status;
  errorCode?: string;
  declineCode?: string;
  message?: string;
  /** The card that paid (what a receipt shows, never the number). */
  card?: { brand?: string; last4?: string; expMonth?: number; expYear?: number };
}

function rejected(
  paymentReference: string,
  errorCode: string,
  message: string,
  extra: Partial<ConfirmPaymentResult> = {},
): ConfirmPaymentResult {
  return { outcome: 'rejected', paymentReference, errorCode, message, ...extra };
}

/** Why the PaymentIntent cannot be this payment's, or undefined when everything matches (D18). */
function mismatch(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  payment: Payment,
  pi: Stripe.PaymentIntent,
): string | undefined {
  if (payment.interfaceId !== pi.id) return 'The PaymentIntent is not the one of this payment.';
  if (!namesPayment(pi.metadata, payment)) return 'The PaymentIntent belongs to another payment.';
  if (pi.metadata[METADATA.cartId] !== ctx.cartId) return "The payment does not belong to this session's cart.";
  if (pi.metadata[METADATA.projectKey] !== deps.config.commercetools.projectKey)
    return 'The PaymentIntent belongs to another project.';
  // The amount is not compared with the payment's amountPlanned: what counts is the cart's amount
  // to pay now, which converge holds the authorization against (and releases it when it differs).
  return undefined;
}

/**
 * `POST /confirmPayments/:paymentReference`: after the browser confirmed with Stripe, checks
 * the PaymentIntent against Stripe and commercetools (D18) and records what it implies, with
 * the same path the webhooks use, in turn with them (Stripe is read once the syncs of this
 * PaymentIntent that came first are done). A decline is an outcome, not an error; so is a
 * payment released because the cart changed while the shopper paid (`cart_changed`).
 */
export async function confirmPayment(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  input: ConfirmPaymentInput,
): Promise<ConfirmPaymentResult> {
  const { ct, stripe } = deps;
  const ref = input.paymentReference;
  const retrieve = (id: string) => retrieveWithCharge(stripe, id);
  const load = () => ct.getPayment(ref);

  // The copy this process wrote moments ago (POST /payments) names the PaymentIntent; without it,
  // the browser's word or commercetools does.
  const cached = ct.recentPayment(ref);
  let fresh: Payment | undefined;
  const loadFresh = async () => (fresh ??= await load());
  const queueKey = input.paymentIntentId ?? cached?.interfaceId ?? (await loadFresh()).interfaceId;
  if (!queueKey?.startsWith('pi_')) return refuse(deps, ctx, await loadFresh(), 'The payment has no PaymentIntent.');

  return deps.serial.serially(queueKey, async () => {
    // The newest copy known now: a sync that ran before this one in the queue may have written.
    const known = ct.recentPayment(ref) ?? fresh;
    // A state the shopper's attempt cannot have changed since (authorized, paid or cancelled),
    // which a sync of this PaymentIntent read moments ago (the webhook racing this call): it
    // answers, and Stripe is not read again.
    const settled = deps.reads.snapshot(queueKey);
    const reuse = settled && SETTLED.includes(settled.paymentIntent.status) ? settled : undefined;
    // A payment not accepted yet is held against its cart next: the cart is read alongside Stripe.
    const cart = !reuse && known && !isAccepted(known, queueKey) ? readCartAlongside(deps, ctx.cartId) : undefined;
    const [first, pi] = await Promise.all([
      known ?? loadFresh(),
      reuse
        ? reuse.paymentIntent
        : retrieve(queueKey).catch((error: unknown) => {
            if (classifyStripeError(error) === 'not-found') return undefined;
            throw error;
          }),
    ]);
    let payment = first;
    if (!pi) return refuse(deps, ctx, payment, 'The PaymentIntent is not the one of this payment.');
    let problem = mismatch(deps, ctx, payment, pi);
    // An outdated copy must never refuse a payment: ask commercetools before refusing.
    if (problem && payment !== fresh) {
      payment = await loadFresh();
      problem = mismatch(deps, ctx, payment, pi);
    }
    if (problem) return refuse(deps, ctx, payment, problem);

    const charge = expandedCharge(pi);
    const snapshot: PaymentIntentSnapshot = reuse ?? { paymentIntent: pi, ...(charge ? { charge } : {}) };
    const converged = await converge(deps, payment.id, pi.id, { snapshot, payment, ...(cart ? { cart } : {}) });
    const now = converged.snapshot.paymentIntent;
    if (!converged.releasedForCartChange) await ensureSavedPaymentMethod(deps, converged.payment, converged.snapshot);
    deps.log.info({ paymentId: payment.id, paymentIntentId: now.id, status: now.status }, 'payment confirmed');
    return outcomeOf(ref, converged);
  });
}

function refuse(deps: PaymentsDeps, ctx: CheckoutContext, payment: Payment, problem: string): ConfirmPaymentResult {
  deps.log.warn(
    { paymentId: payment.id, paymentIntentId: payment.interfaceId, cartId: ctx.cartId, problem },
    'confirm refused',
  );
  return rejected(payment.id, 'payment_mismatch', problem);
}

function cardOf(converged: Converged): ConfirmPaymentResult['card'] {
  const card = converged.snapshot.charge?.payment_method_details?.card;
  if (!card) return undefined;
  return present({
    brand: card.brand ?? undefined,
    last4: card.last4 ?? undefined,
    expMonth: card.exp_month,
    expYear: card.exp_year,
  });
}

function outcomeOf(ref: string, converged: Converged): ConfirmPaymentResult {
  const pi = converged.snapshot.paymentIntent;
  const card = cardOf(converged);
  const base = { paymentReference: ref, paymentIntentStatus: pi.status, ...(card ? { card } : {}) };
  if (converged.releasedForCartChange) {
    return rejected(
      ref,
      'cart_changed',
      'The cart changed while the payment was made: the payment was given back. Pay the new total.',
      base,
    );
  }
  switch (pi.status) {
    case 'succeeded':
    case 'requires_capture':
      return { outcome: 'approved', ...base };
    case 'processing':
      return { outcome: 'pending', ...base };
    case 'requires_action':
    case 'requires_confirmation':
      return rejected(ref, 'authentication_required', 'The payment is waiting for the shopper to complete it.', base);
    case 'canceled':
      return rejected(ref, 'payment_canceled', 'The payment was canceled.', base);
    case 'requires_payment_method':
    default: {
      // A decline, or (run time only) a status the pinned API version does not name.
      if (pi.status !== 'requires_payment_method') unhandledStatus(pi.status);
      const error = pi.last_payment_error;
      return rejected(ref, error?.code ?? 'payment_failed', error?.message ?? 'The payment was not completed.', {
        ...base,
        ...(error?.decline_code ? { declineCode: error.decline_code } : {}),
      });
    }
  }
}
