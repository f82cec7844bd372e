import type Stripe from 'stripe';
import { METADATA } from '../core/metadata';
import { capturedNotRefunded } from '../sync/coverage';
import { refundOutcome, stripeWrite } from './stripe-write';
import {
  rejected,
  type ModifyAction,
  type ModifyResult,
  type OperationContext,
  type OperationHandler,
  type Performed,
} from './types';

type Refund = Extract<ModifyAction, { action: 'refundPayment' }>;

const live = (r: Stripe.Refund) => r.status !== 'failed' && r.status !== 'canceled';

/**
 * `refundPayment`: at most what was captured and not refunded; with `transactionId`, at most what
 * is left of that capture. The refund carries the request's id in its metadata, so that a retry
 * long after Stripe forgot the idempotency key still finds it instead of refunding again.
 */
export const refund: OperationHandler<Refund> = {
  plan(ctx, action) {
    const currency = ctx.payment.amountPlanned.currencyCode;
    if (action.amount.currencyCode !== currency)
      return { rejection: rejected('InvalidOperation', `The payment is in ${currency}.`) };
    const amount = ctx.toStripe(action.amount.centAmount);
    const refundable = capturedNotRefunded(ctx.snapshot);
    if (amount <= 0 || amount > refundable)
      return {
        rejection: rejected('InvalidAmount', `Refundable: ${refundable} (Stripe minor units), requested: ${amount}.`),
      };
    if (action.transactionId) {
      const captureTx = ctx.payment.transactions.find((t) => t.id === action.transactionId && t.type === 'Charge');
      if (!captureTx)
        return {
          rejection: rejected(
            'InvalidOperation',
            `Transaction ${action.transactionId} is not a capture of this payment.`,
          ),
        };
      const refundedOnCapture = (ctx.snapshot.refunds ?? [])
        .filter((r) => r.metadata?.[METADATA.transactionId] === captureTx.id && live(r))
        .reduce((sum, r) => sum + r.amount, 0);
      const left = ctx.toStripe(captureTx.amount.centAmount) - refundedOnCapture;
      if (amount > left)
        return {
          rejection: rejected('InvalidAmount', `Refundable on capture ${captureTx.id}: ${left}, requested: ${amount}.`),
        };
    }
    return { plan: { amount, ...(action.transactionId ? { transactionId: action.transactionId } : {}) } };
  },

  perform(ctx, plan, key, requestId) {
    return refundOnce(ctx, Number(plan.amount), key, requestId, plan.transactionId as string | undefined);
  },
};

/** The answer a refund in this state gives. */
export function refundAnswer(refund: Stripe.Refund): ModifyResult {
  const outcome = refundOutcome(refund.status);
  return outcome === 'rejected'
    ? rejected(refund.failure_reason ?? 'refund_failed', 'Stripe could not make the refund.')
    : { outcome };
}

/** One refund for a recorded request: the one it already made, or a new one under its key. */
export function refundOnce(
  ctx: OperationContext,
  amount: number,
  key: string,
  requestId: string,
  transactionId?: string,
): Promise<Performed> {
  const made = (ctx.snapshot.refunds ?? []).find(
    (r) => r.metadata?.[METADATA.operation] === requestId && r.metadata?.[METADATA.paymentId] === ctx.payment.id,
  );
  if (made) return Promise.resolve({ answer: refundAnswer(made), refundId: made.id });
  return stripeWrite({ type: 'Refund', amount, key }, async () => {
    const created = await ctx.deps.stripe.refunds.create(
      {
        payment_intent: ctx.paymentIntentId,
        amount,
        metadata: {
          [METADATA.paymentId]: ctx.payment.id,
          [METADATA.operation]: requestId,
          ...(transactionId ? { [METADATA.transactionId]: transactionId } : {}),
        },
      },
      { idempotencyKey: key },
    );
    return { answer: refundAnswer(created), refundId: created.id };
  });
}
