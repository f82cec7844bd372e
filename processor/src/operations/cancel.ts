import { loadSnapshot } from '../stripe/snapshot';
import { stripeWrite } from './stripe-write';
import { snapshotOf, WITH_CHARGE } from '../stripe/snapshot';
import { rejected, type ModifyAction, type OperationContext, type OperationHandler, type Performed } from './types';

type Cancel = Extract<ModifyAction, { action: 'cancelPayment' }>;

/**
 * `cancelPayment`: releases an authorization that was not (fully) captured. An authorization that
 * is released already (cancelled, expired) is the state asked for: approved, nothing to do.
 */
export const cancel: OperationHandler<Cancel> = {
  plan(ctx) {
    const pi = ctx.snapshot.paymentIntent;
    if (pi.status === 'canceled') return { done: { outcome: 'approved' } };
    if (pi.status !== 'requires_capture')
      return {
        rejection: rejected(
          'InvalidOperation',
          `Nothing to cancel: the payment is ${pi.status}${pi.status === 'succeeded' ? '; refund it instead' : ''}.`,
        ),
      };
    return { plan: { amount: pi.amount_capturable } };
  },

  perform(ctx, plan, key) {
    return cancelOnce(ctx, Number(plan.amount), key);
  },
};

/**
 * One cancel under its key. Refused because the authorization is released already (it expired, it
 * was cancelled in the dashboard, or Stripe forgot the key of an attempt that did cancel it): the
 * state asked for is reached, and nothing else was done.
 */
export async function cancelOnce(ctx: OperationContext, amount: number, key: string): Promise<Performed> {
  const performed = await stripeWrite({ type: 'CancelAuthorization', amount, key }, async () => {
    const pi = await ctx.deps.stripe.paymentIntents.cancel(
      ctx.paymentIntentId,
      { cancellation_reason: 'requested_by_customer', expand: WITH_CHARGE },
      { idempotencyKey: key },
    );
    const snapshot = snapshotOf(pi, ctx.snapshot);
    return { answer: { outcome: 'approved' }, ...(snapshot ? { snapshot } : {}) };
  });
  if (!performed.refusal) return performed;
  const now = await loadSnapshot(ctx.deps.stripe, ctx.paymentIntentId, { refunds: true });
  return now.paymentIntent.status === 'canceled' ? { answer: { outcome: 'approved' }, snapshot: now } : performed;
}
