import type { Payment } from '@commercetools/platform-sdk';
import { METADATA } from '../payments/checkout-context';
import type { PaymentsDeps } from '../payments/deps';
import { classifyStripeError } from '../stripe/errors';
import { loadSnapshot } from './apply';
import { capturedNotRefunded } from './coverage';
import type { PaymentIntentSnapshot } from './desired-transactions';

/**
 * Gives back a payment whose cart asks another amount than it holds: the authorization is
 * cancelled, or what was captured is refunded in full. Every replica and every retry that decides
 * the same release sends the same Stripe request with the same idempotency key, so it happens once.
 * The refund's key counts the release refunds that failed before (Stripe's own record, which only
 * grows), so that a release whose refund failed can be asked again. Answers Stripe's state after it.
 */
export async function releasePayment(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  reason: string,
): Promise<PaymentIntentSnapshot> {
  const pi = snapshot.paymentIntent;
  const log = { paymentId: payment.id, paymentIntentId: pi.id, cartId: pi.metadata[METADATA.cartId], reason };
  let now = snapshot;
  try {
    if (pi.status === 'requires_capture') {
      await deps.stripe.paymentIntents.cancel(
        pi.id,
        { cancellation_reason: 'abandoned' },
        { idempotencyKey: `ct-payment:${payment.id}:release-cancel` },
      );
      now = await loadSnapshot(deps.stripe, pi.id, { refunds: true });
    }
    // What was captured already (a capture made before the cart was checked) is refunded.
    if (capturedNotRefunded(now) > 0) {
      const failedBefore = (now.refunds ?? []).filter(
        (r) => r.metadata?.[METADATA.reason] === 'cart_changed' && (r.status === 'failed' || r.status === 'canceled'),
      ).length;
      await deps.stripe.refunds.create(
        {
          payment_intent: pi.id,
          reason: 'requested_by_customer',
          metadata: { [METADATA.paymentId]: payment.id, [METADATA.reason]: 'cart_changed' },
        },
        { idempotencyKey: `ct-payment:${payment.id}:release-refund:${failedBefore}` },
      );
    }
    deps.log.warn(log, 'payment released: it does not match its cart');
  } catch (error) {
    // Stripe refuses when the payment moved meanwhile (captured, cancelled or refunded by someone
    // else): what it shows now is read below and decides again.
    if (classifyStripeError(error) !== 'refused') throw error;
    deps.log.warn({ ...log, code: (error as { code?: string }).code }, 'payment release refused by Stripe');
  }
  return loadSnapshot(deps.stripe, pi.id, { refunds: true, disputes: Boolean(snapshot.disputes) });
}
