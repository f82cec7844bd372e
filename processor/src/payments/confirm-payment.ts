import type { Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { notFound } from '../errors/app-error';
import { toStripeAmount } from '../stripe/money';
import { applySnapshot } from '../sync/apply';
import { syncExtras } from '../sync/sync-payment-intent';
import { METADATA, type CheckoutContext } from './checkout-context';
import type { PaymentsDeps } from './deps';

export interface ConfirmPaymentInput {
  paymentReference: string;
  /** The PaymentIntent the browser confirmed, when it says; it must be the payment's. */
  paymentIntentId?: string;
}

export type Outcome = 'approved' | 'pending' | 'rejected';

export interface ConfirmPaymentResult {
  outcome: Outcome;
  paymentReference: string;
  paymentIntentStatus?: Stripe.PaymentIntent.Status;
  errorCode?: string;
  declineCode?: string;
  message?: string;
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
  if (pi.metadata[METADATA.paymentId] !== payment.id) return 'The PaymentIntent belongs to another payment.';
  if (pi.metadata[METADATA.cartId] !== ctx.cartId) return "The payment does not belong to this session's cart.";
  if (pi.metadata[METADATA.projectKey] !== deps.config.commercetools.projectKey)
    return 'The PaymentIntent belongs to another project.';
  const expected = toStripeAmount({
    centAmount: payment.amountPlanned.centAmount,
    currencyCode: payment.amountPlanned.currencyCode,
    fractionDigits: payment.amountPlanned.fractionDigits,
  });
  if (expected.currency !== pi.currency || expected.amount !== pi.amount) {
    return `The PaymentIntent is for ${pi.amount} ${pi.currency}, the payment for ${expected.amount} ${expected.currency}.`;
  }
  return undefined;
}

/**
 * `POST /confirmPayments/:paymentReference`: after the browser confirmed with Stripe, checks
 * the PaymentIntent against Stripe and commercetools (D18) and records what it implies, with
 * the same mapping the webhooks use. A decline is an outcome, not an error.
 */
export async function confirmPayment(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  input: ConfirmPaymentInput,
): Promise<ConfirmPaymentResult> {
  const { ct, stripe } = deps;
  const ref = input.paymentReference;
  const retrieve = (id: string) => stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] });

  const load = () =>
    ct.getPayment(ref).catch((error: unknown) => {
      if ((error as { httpErrorStatus?: number }).httpErrorStatus === 404) throw notFound(`Payment ${ref}`);
      throw error;
    });
  // The copy this process wrote moments ago (POST /payments) is enough to check against; only
  // when the check fails is commercetools asked, so that an outdated copy never refuses a payment.
  const cached = ct.recentPayment(ref);
  const [first, early] = await Promise.all([
    cached ?? load(),
    input.paymentIntentId ? retrieve(input.paymentIntentId).catch(() => undefined) : Promise.resolve(undefined),
  ]);

  const check = async (payment: Payment): Promise<{ problem: string } | { pi: Stripe.PaymentIntent }> => {
    if (!payment.interfaceId?.startsWith('pi_')) return { problem: 'The payment has no PaymentIntent.' };
    if (input.paymentIntentId && input.paymentIntentId !== payment.interfaceId) {
      return { problem: 'The PaymentIntent is not the one of this payment.' };
    }
    const pi = early?.id === payment.interfaceId ? early : await retrieve(payment.interfaceId);
    const problem = mismatch(deps, ctx, payment, pi);
    return problem ? { problem } : { pi };
  };
  let payment = first;
  let checked = await check(payment);
  if ('problem' in checked && cached) {
    payment = await load();
    checked = await check(payment);
  }
  if ('problem' in checked) {
    deps.log.warn(
      { paymentId: payment.id, paymentIntentId: payment.interfaceId, cartId: ctx.cartId, problem: checked.problem },
      'confirm refused',
    );
    return rejected(ref, 'payment_mismatch', checked.problem);
  }
  const { pi } = checked;

  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge ? pi.latest_charge : undefined;
  const snapshot = { paymentIntent: pi, ...(charge ? { charge } : {}) };
  const extras = await syncExtras(deps, snapshot);
  // After any sync of this PaymentIntent in flight here (its webhooks race the browser).
  await deps.serial.serially(pi.id, () => applySnapshot(ct, payment, snapshot, extras));
  deps.log.info({ paymentId: payment.id, paymentIntentId: pi.id, status: pi.status }, 'payment confirmed');

  const base = { paymentReference: ref, paymentIntentStatus: pi.status };
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
    default: {
      const error = pi.last_payment_error;
      return rejected(ref, error?.code ?? 'payment_failed', error?.message ?? 'The payment was not completed.', {
        ...base,
        ...(error?.decline_code ? { declineCode: error.decline_code } : {}),
      });
    }
  }
}
