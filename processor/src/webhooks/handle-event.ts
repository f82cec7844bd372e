import type Stripe from 'stripe';
import { classifyStripeError } from '../stripe/errors';
import { retryLater } from '../core/errors';
import { safeError } from '../logger';
import type { PaymentsDeps } from '../core/deps';
import { syncPaymentIntent, type SyncResult } from '../sync/sync-payment-intent';
import { isHandled, subjectOf } from './events';
import type { WebhookStats } from './stats';

export type WebhookAnswer = { received: true; status: SyncResult['status'] | 'ignored'; reason?: string };

/**
 * A verified Stripe event: events that are not ours answer 200 (Stripe must not retry them);
 * ours trigger a sync of their PaymentIntent; a sync that cannot complete throws a 503 so that
 * Stripe retries (D01).
 */
export async function handleEvent(
  deps: PaymentsDeps,
  stats: WebhookStats,
  event: Stripe.Event,
): Promise<WebhookAnswer> {
  const log = { eventId: event.id, type: event.type };
  if (event.livemode !== (deps.config.stripe.mode === 'live')) {
    deps.log.info(log, 'webhook ignored: other Stripe mode');
    return { received: true, status: 'ignored', reason: 'other mode' };
  }
  if (!isHandled(event.type)) {
    deps.log.info(log, 'webhook ignored: unsupported event type');
    return { received: true, status: 'ignored', reason: 'unsupported event type' };
  }
  const subject = subjectOf(event);
  try {
    let paymentIntentId = subject.paymentIntentId;
    if (!paymentIntentId && subject.chargeId) {
      const charge = await deps.stripe.charges.retrieve(subject.chargeId);
      paymentIntentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    }
    if (!paymentIntentId) {
      deps.log.info(log, 'webhook ignored: no PaymentIntent');
      return { received: true, status: 'ignored', reason: 'no PaymentIntent' };
    }
    const result = await syncPaymentIntent(deps, paymentIntentId, {
      refunds: subject.refunds,
      disputes: subject.disputes,
      events: [{ id: event.id, type: event.type, created: event.created, object: event.data.object }],
    });
    if (result.status === 'ignored') {
      if (result.unrecordedOn) {
        deps.log.warn(
          { ...log, paymentIntentId, paymentId: result.unrecordedOn, reason: result.reason },
          'webhook ignored: the PaymentIntent took money its commercetools payment does not record, being linked to another one (reconcile lists it)',
        );
      } else if (result.missingPaymentId) {
        // Money may sit at Stripe with nothing in commercetools: worth an operator's look.
        deps.log.warn(
          { ...log, paymentIntentId, paymentId: result.missingPaymentId, reason: result.reason },
          'webhook ignored: its commercetools payment does not exist (reconcile lists it)',
        );
      } else {
        deps.log.info({ ...log, paymentIntentId, reason: result.reason }, 'webhook ignored');
      }
      return { received: true, status: 'ignored', reason: result.reason };
    }
    stats.apply();
    deps.log.info(
      { ...log, paymentIntentId, paymentId: result.paymentId, status: result.status, order: result.order },
      'webhook applied',
    );
    return { received: true, status: result.status };
  } catch (error) {
    if (classifyStripeError(error) === 'not-found') {
      // The event names a Stripe object this account does not have: retrying cannot help.
      deps.log.info(log, 'webhook ignored: unknown Stripe object');
      return { received: true, status: 'ignored', reason: 'unknown Stripe object' };
    }
    const message = error instanceof Error ? error.message : String(error);
    stats.fail(event.id, event.type, message);
    deps.log.error({ ...log, err: safeError(error) }, 'webhook could not be applied; Stripe will retry');
    throw retryLater('The event could not be applied yet; retry later.');
  }
}
