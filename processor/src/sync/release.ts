import type { Payment } from '@commercetools/platform-sdk';
import { METADATA } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';
import { classifyStripeError } from '../stripe/errors';
import { loadSnapshot } from '../stripe/snapshot';
import { capturedNotRefunded } from './coverage';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';

/**
 * Gives back what a payment holds: the authorization still open is cancelled, what was captured is
 * refunded. Stripe is read again after each step and decides the next one, so a payment captured
 * meanwhile (the dashboard, another system) is refunded instead of kept. Every replica and every
 * retry that decides the same release sends the same Stripe request under the same idempotency
 * key, so it happens once. Answers Stripe's state after it.
 */
export async function releasePayment(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  reason: string,
): Promise<PaymentIntentSnapshot> {
  const code = 'cart_changed';
  const id = snapshot.paymentIntent.id;
  const log = {
    paymentId: payment.id,
    paymentIntentId: id,
    cartId: snapshot.paymentIntent.metadata[METADATA.cartId],
    reason,
  };
  const reload = () => loadSnapshot(deps.stripe, id, { refunds: true, disputes: Boolean(snapshot.disputes) });
  let now = snapshot.refunds ? snapshot : await reload();
  for (let step = 1; step <= 3; step++) {
    const pi = now.paymentIntent;
    try {
      if (pi.status === 'requires_capture' && pi.amount_capturable > 0) {
        await deps.stripe.paymentIntents.cancel(
          id,
          { cancellation_reason: 'abandoned' },
          { idempotencyKey: `ct-payment:${payment.id}:release-cancel` },
        );
      } else if (capturedNotRefunded(now) > 0) {
        // One release refund per payment: a retry or a twin sends the same key; if Stripe fails it
        // later, the money is returned another way (a refund that failed would fail again).
        await deps.stripe.refunds.create(
          {
            payment_intent: id,
            reason: 'requested_by_customer',
            metadata: { [METADATA.paymentId]: payment.id, [METADATA.reason]: code },
          },
          { idempotencyKey: `ct-payment:${payment.id}:release-refund` },
        );
      } else {
        return now;
      }
      deps.log.warn({ ...log, step }, 'payment released: it does not match its cart');
    } catch (error) {
      // Stripe refuses when the payment moved meanwhile (captured, cancelled or refunded by
      // someone else): what it shows now decides the next step.
      if (classifyStripeError(error) !== 'refused') throw error;
      deps.log.warn({ ...log, code: (error as { code?: string }).code }, 'payment release refused by Stripe');
    }
    now = await reload();
  }
  return now;
}
