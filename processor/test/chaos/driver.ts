import Stripe from 'stripe';
import { browserCall, changeQuantity, piState, stripeRead, type RunContext } from './calls';
import { paymentWriteFault, readThrottle, stripeControl } from './faults';
import { must } from './http';
import type { CheckoutRecord, PaymentRecord, ShopperConfirm } from './ledger';
import { runSteps } from './ops';
import type { Card, Plan } from './plan';
import { sleep, stream, type Rng } from './rng';

const CARD: Record<Card, string> = {
  visa: 'pm_card_visa',
  declined: 'pm_card_chargeDeclined',
  'declined-then-visa': 'pm_card_chargeDeclined',
  '3ds-abandoned': 'pm_card_authenticationRequired',
  sepa: 'pm_sepa_debit',
  'sepa-fail': 'pm_sepa_debit_fail',
  'refund-fail-card': 'pm_card_refundFail',
};

/**
 * One shopper's checkout: the cart, `POST /payments` (repeated after cart changes when the plan
 * says), the confirmation in the browser with Stripe, `POST /confirmPayments`, paying again when
 * the connector refused a changed cart, then the merchant's steps. Everything goes to the ledger.
 */
export async function runCheckout(ctx: RunContext, plan: Plan): Promise<void> {
  const r = stream(ctx.seed, 1_000_000 + plan.index);
  const created = await must(`${ctx.cluster.ct}/_sandbox/checkout-session`, {
    currency: plan.currency,
    quantity: plan.quantity,
  });
  const checkout = ctx.ledger.checkout({
    index: plan.index,
    flavor: plan.flavor,
    currency: plan.currency,
    cartId: created.cartId,
    sessionId: created.sessionId,
    cartAmount: created.amountPlanned.centAmount,
  });
  const sepa = plan.card === 'sepa' || plan.card === 'sepa-fail';
  const component = sepa ? { paymentComponent: 'sepa_debit' } : {};

  let payment = await createPayment(ctx, r, plan, checkout, component);
  if (!payment) return;
  const change = async (quantity: number, repost: boolean) => {
    checkout.cartAmount = await changeQuantity(ctx, checkout.cartId, quantity);
    checkout.cartChanges.push({ quantity, total: checkout.cartAmount, reposted: repost });
    if (repost) payment = (await createPayment(ctx, r, plan, checkout, component)) ?? payment;
  };
  if (plan.cart === 'abab') {
    for (const q of [plan.quantity + 1, plan.quantity, plan.quantity + 1]) await change(q, true);
    ctx.ledger.faults.add('cartAbab');
  } else if (plan.cart === 'change-repost') {
    await change(plan.quantity + 1, true);
  } else if (plan.cart === 'change-repay' || plan.cart === 'change-abandon') {
    await change(plan.quantity + 1, false);
    ctx.ledger.faults.add('cartChange');
  }

  for (const fault of plan.faults) {
    if (fault === 'stripe429') await readThrottle(ctx, payment.paymentIntentId);
    else await paymentWriteFault(ctx, payment.paymentId, fault, r);
  }

  let shopper = await pay(ctx, r, checkout, payment, CARD[plan.card]);
  if (plan.card === '3ds-abandoned') {
    ctx.ledger.faults.add('threeDsAbandoned');
    return;
  }
  if (plan.card === 'declined-then-visa') shopper = await pay(ctx, r, checkout, payment, 'pm_card_visa');
  if (sepa) {
    await sleep(r.int(50, 600));
    const res = await stripeControl(ctx, `/payment_intents/${payment.paymentIntentId}/settle`, {}).then(
      () => true,
      () => false,
    );
    checkout.stripe.push({ kind: 'settle', paymentIntentId: payment.paymentIntentId, ok: res });
  }
  if (shopper.confirm?.outcome === 'rejected' && shopper.confirm.errorCode === 'cart_changed') {
    if (plan.cart !== 'change-repay') return;
    // The enabler reports the failure; the shopper pays the new total with a new PaymentIntent.
    const again = await createPayment(ctx, r, plan, checkout, component);
    if (!again) return;
    payment = again;
    shopper = await pay(ctx, r, checkout, payment, 'pm_card_visa');
  }
  // A payment confirmed for another amount than the cart's must be released by the connector:
  // the merchant has nothing to do with it.
  if (shopper.amount !== shopper.cartAmount) return;
  const st = await piState(ctx, payment.paymentIntentId);
  if (!['requires_capture', 'succeeded'].includes(st.pi.status)) return;
  await runSteps(ctx, r, plan, checkout, payment);
}

/** `POST /payments`, and the PaymentIntent's amount right after, as Stripe says. */
export async function createPayment(
  ctx: RunContext,
  r: Rng,
  plan: Pick<Plan, 'flavor'>,
  checkout: CheckoutRecord,
  json: unknown,
): Promise<PaymentRecord | undefined> {
  const res = await browserCall(ctx, r, '/payments', checkout.sessionId, json, plan.flavor);
  if (res.status !== 200) {
    ctx.ledger.outcomes.add(`POST /payments → ${res.status || res.error} ${res.body?.errors?.[0]?.code ?? ''}`.trim());
    checkout.notes.push(`POST /payments answered ${res.status}: ${JSON.stringify(res.body)?.slice(0, 200)}`);
    return undefined;
  }
  const paymentIntentId = String(res.body.clientSecret).split('_secret_')[0]!;
  const pi = await stripeRead(() => ctx.cluster.stripe.paymentIntents.retrieve(paymentIntentId));
  const asked = (json ?? {}) as { storePaymentDetails?: boolean; storedPaymentMethodId?: string };
  const record: PaymentRecord = {
    paymentId: res.body.paymentReference,
    paymentIntentId,
    replica: res.replica.name,
    cartAmount: checkout.cartAmount,
    piAmount: pi.amount,
    beforeConfirm: checkout.shopper.length === 0,
    ...(asked.storePaymentDetails || asked.storedPaymentMethodId
      ? {
          saving: {
            ...(asked.storePaymentDetails ? { store: true } : {}),
            ...(asked.storedPaymentMethodId ? { storedPaymentMethodId: asked.storedPaymentMethodId } : {}),
          },
        }
      : {}),
  };
  checkout.payments.push(record);
  paymentSecrets.set(paymentIntentId, res.body.clientSecret);
  return record;
}

/** Client secrets stay in memory only (the browser's). */
const paymentSecrets = new Map<string, string>();

/**
 * The shopper confirms in the browser (Stripe.js with the publishable key), then the processor is
 * told. Without a card the PaymentIntent's own method is confirmed (a stored card); with
 * `authenticate` a 3-D Secure challenge is passed.
 */
export async function pay(
  ctx: RunContext,
  r: Rng,
  checkout: CheckoutRecord,
  payment: PaymentRecord,
  card: string | undefined,
  repay = false,
  authenticate = false,
): Promise<ShopperConfirm> {
  const secret = paymentSecrets.get(payment.paymentIntentId)!;
  let stripeAnswer: string;
  let amount: number;
  try {
    const pi = await ctx.cluster.browser.paymentIntents.confirm(payment.paymentIntentId, {
      ...(card ? { payment_method: card } : {}),
      client_secret: secret,
    } as Stripe.PaymentIntentConfirmParams);
    stripeAnswer = pi.status;
    amount = pi.amount;
    if (authenticate && pi.status === 'requires_action') {
      const passed = await must(`${ctx.cluster.stripeUrl}/_sandbox/payment_intents/${pi.id}/authenticate`, {
        client_secret: secret,
        outcome: 'succeed',
      });
      stripeAnswer = passed.status;
    }
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    stripeAnswer = error.code ?? error.type;
    amount = (await piState(ctx, payment.paymentIntentId)).pi.amount;
  }
  const shopper: ShopperConfirm = {
    paymentIntentId: payment.paymentIntentId,
    paymentId: payment.paymentId,
    card: card ?? 'stored',
    amount,
    cartAmount: checkout.cartAmount,
    stripe: stripeAnswer,
    ...(repay ? { repay } : {}),
  };
  checkout.shopper.push(shopper);
  const res = await browserCall(ctx, r, `/confirmPayments/${payment.paymentId}`, checkout.sessionId, {});
  shopper.confirm = {
    status: res.status,
    ...(res.body?.outcome ? { outcome: res.body.outcome } : {}),
    ...(res.body?.errorCode ? { errorCode: res.body.errorCode } : {}),
  };
  ctx.ledger.outcomes.add(
    `confirm (${(card ?? 'stored card').replace('pm_', '')}) → ${res.body?.outcome ?? res.status}${res.body?.errorCode ? ` (${res.body.errorCode})` : ''}`,
  );
  return shopper;
}
