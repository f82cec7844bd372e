import { stripeWrite } from './stripe-write';
import { snapshotOf, WITH_CHARGE } from '../stripe/snapshot';
import { rejected, type ModifyAction, type OperationHandler } from './types';

type Capture = Extract<ModifyAction, { action: 'capturePayment' }>;

/**
 * `capturePayment`: at most what is capturable at Stripe. A partial capture releases the rest,
 * unless multicapture is on, when it leaves the rest capturable (`final_capture: false`). The
 * choice is made once and recorded, so a retry sends exactly the same capture.
 */
export const capture: OperationHandler<Capture> = {
  plan(ctx, action) {
    const currency = ctx.payment.amountPlanned.currencyCode;
    if (action.amount.currencyCode !== currency)
      return { rejection: rejected('InvalidOperation', `The payment is in ${currency}.`) };
    const amount = ctx.toStripe(action.amount.centAmount);
    const pi = ctx.snapshot.paymentIntent;
    if (pi.status !== 'requires_capture')
      return { rejection: rejected('InvalidOperation', `Nothing to capture: the payment is ${pi.status}.`) };
    if (amount <= 0 || amount > pi.amount_capturable)
      return {
        rejection: rejected(
          'InvalidAmount',
          `Capturable: ${pi.amount_capturable} (Stripe minor units), requested: ${amount}.`,
        ),
      };
    const final = !(ctx.deps.config.stripe.multicapture && amount < pi.amount_capturable);
    return { plan: { amount, final } };
  },

  perform(ctx, plan, key) {
    const amount = Number(plan.amount);
    return stripeWrite({ type: 'Charge', amount, key }, async () => {
      const pi = await ctx.deps.stripe.paymentIntents.capture(
        ctx.paymentIntentId,
        {
          amount_to_capture: amount,
          ...(plan.final === false ? { final_capture: false } : {}),
          expand: WITH_CHARGE,
        },
        { idempotencyKey: key },
      );
      const snapshot = snapshotOf(pi, ctx.snapshot);
      const total = snapshot?.charge?.amount_captured;
      return {
        answer: { outcome: 'approved' },
        ...(snapshot ? { snapshot } : {}),
        ...(total !== undefined ? { capture: { amount, total } } : {}),
      };
    });
  },
};
