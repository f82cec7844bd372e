import { loadSnapshot } from '../stripe/snapshot';
import { capturedNotRefunded } from '../sync/coverage';
import { cancelOnce } from './cancel';
import { refundOnce } from './refund';
import { rejected, type ModifyAction, type OperationHandler } from './types';

type Reverse = Extract<ModifyAction, { action: 'reversePayment' }>;

/**
 * `reversePayment`: nothing stays with the merchant and nothing stays held. What was captured and
 * not refunded is refunded, and what is still authorized is released (after a partial
 * multicapture capture, both). Each of the two Stripe writes has its own key under the request's.
 */
export const reverse: OperationHandler<Reverse> = {
  plan(ctx) {
    const refundAmount = capturedNotRefunded(ctx.snapshot);
    const pi = ctx.snapshot.paymentIntent;
    const release = pi.status === 'requires_capture' ? pi.amount_capturable : 0;
    if (refundAmount <= 0 && release <= 0)
      return {
        rejection: rejected(
          'InvalidOperation',
          'Nothing to reverse: nothing was captured (or all was refunded) and no authorization is open.',
        ),
      };
    return { plan: { refund: refundAmount, release } };
  },

  async perform(ctx, plan, key, requestId) {
    const refundAmount = Number(plan.refund);
    const release = Number(plan.release);
    const refunded = refundAmount > 0 ? await refundOnce(ctx, refundAmount, `${key}:refund`, requestId) : undefined;
    // The authorization is released whatever became of the refund: nothing may stay held.
    const now = release > 0 && refunded ? await loadSnapshot(ctx.deps.stripe, ctx.paymentIntentId) : ctx.snapshot;
    const cancelled =
      release > 0 && now.paymentIntent.status === 'requires_capture'
        ? await cancelOnce({ ...ctx, snapshot: now }, release, `${key}:cancel`)
        : undefined;
    if (refunded?.refusal || !cancelled) return refunded ?? { answer: { outcome: 'approved' } };
    if (cancelled.refusal || !refunded) return cancelled;
    return { ...(refunded.refundId ? { refundId: refunded.refundId } : {}), answer: refunded.answer };
  },
};
