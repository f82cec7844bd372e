import type { Payment } from '@commercetools/platform-sdk';
import Stripe from 'stripe';
import { notFound } from '../errors/app-error';
import { METADATA } from '../payments/checkout-context';
import type { PaymentsDeps } from '../payments/deps';
import { fromStripeAmount, toStripeAmount } from '../stripe/money';
import { applySnapshot, loadSnapshot } from '../sync/apply';
import type { PaymentIntentSnapshot, TxType } from '../sync/desired-transactions';

export type ModifyAction =
  | { action: 'capturePayment'; amount: { centAmount: number; currencyCode: string }; merchantReference?: string }
  | {
      action: 'refundPayment';
      amount: { centAmount: number; currencyCode: string };
      merchantReference?: string;
      transactionId?: string;
    }
  | { action: 'cancelPayment'; merchantReference?: string }
  | { action: 'reversePayment'; merchantReference?: string };

export interface ModifyResult {
  outcome: 'approved' | 'received' | 'rejected';
  errors?: { code: string; message: string }[];
}

const rejected = (code: string, message: string): ModifyResult => ({
  outcome: 'rejected',
  errors: [{ code, message }],
});

/** A refund succeeds at once, later, or not at all. */
const refundOutcome = (status: string | null): ModifyResult['outcome'] =>
  status === 'succeeded' ? 'approved' : status === 'failed' || status === 'canceled' ? 'rejected' : 'received';

/** Stripe-side figures the checks need, in Stripe's minor unit. */
function figures(snapshot: PaymentIntentSnapshot) {
  const charge = snapshot.charge;
  const captured = charge?.amount_captured ?? 0;
  const refunded = (snapshot.refunds ?? [])
    .filter((r) => r.status !== 'failed' && r.status !== 'canceled')
    .reduce((sum, r) => sum + r.amount, 0);
  return {
    captured,
    refunded,
    refundable: Math.max(0, captured - refunded),
    capturable: snapshot.paymentIntent.amount_capturable,
  };
}

/**
 * `POST /operations/payment-intents/:paymentId`. Amounts are checked against Stripe before any
 * call (over-capture, over-refund are rejected without calling Stripe). Each Stripe write has an
 * idempotency key from the payment id, the action, the amount and how many operations of that
 * kind the payment already has, so that a retried request (same body) after a failed
 * commercetools write performs nothing twice (D03). A Stripe refusal is recorded as a Failure
 * transaction with Stripe's code (D02). What Stripe reports is then written with the same sync
 * the webhooks use.
 */
export async function modifyPayment(
  deps: PaymentsDeps,
  paymentId: string,
  action: ModifyAction,
): Promise<ModifyResult> {
  const payment = await deps.ct.getPayment(paymentId).catch((error: unknown) => {
    if ((error as { httpErrorStatus?: number }).httpErrorStatus === 404) throw notFound(`Payment ${paymentId}`);
    throw error;
  });
  const paymentIntentId = payment.interfaceId;
  if (!paymentIntentId?.startsWith('pi_'))
    return rejected('InvalidOperation', 'The payment has no Stripe PaymentIntent.');
  const snapshot = await loadSnapshot(deps.stripe, paymentIntentId, { refunds: true });
  if (snapshot.paymentIntent.metadata[METADATA.paymentId] !== payment.id) {
    return rejected('InvalidOperation', 'The PaymentIntent does not belong to this payment.');
  }
  const currency = payment.amountPlanned.currencyCode;
  const money = (centAmount: number) =>
    toStripeAmount({ centAmount, currencyCode: currency, fractionDigits: payment.amountPlanned.fractionDigits }).amount;
  const f = figures(snapshot);
  // Refunds carry the commercetools ids, so that a retry recognises its own (and only its own).
  const refund = (amount: number, transactionId?: string) =>
    perform(deps, payment, 'Refund', 'refund', amount, (key) =>
      deps.stripe.refunds.create(
        {
          payment_intent: paymentIntentId,
          amount,
          metadata: {
            [METADATA.paymentId]: payment.id,
            ...(transactionId ? { [METADATA.transactionId]: transactionId } : {}),
          },
        },
        { idempotencyKey: key },
      ),
    );

  switch (action.action) {
    case 'capturePayment': {
      if (action.amount.currencyCode !== currency)
        return rejected('InvalidOperation', `The payment is in ${currency}.`);
      const amount = money(action.amount.centAmount);
      // A retry after Stripe captured but commercetools could not record it: record, don't redo.
      if (f.captured - recorded(payment, 'Charge', money) === amount) return catchUp(deps, payment, snapshot);
      // The same capture again, once it is done (its answer was lost, or the webhook recorded it
      // first): the state it asked for is reached, so it is approved without another capture.
      const lastCapture = payment.transactions.filter((t) => t.type === 'Charge' && t.state === 'Success').at(-1);
      if (
        snapshot.paymentIntent.status === 'succeeded' &&
        lastCapture &&
        money(lastCapture.amount.centAmount) === amount
      ) {
        return { outcome: 'approved' };
      }
      if (snapshot.paymentIntent.status !== 'requires_capture')
        return rejected('InvalidOperation', `Nothing to capture: the payment is ${snapshot.paymentIntent.status}.`);
      if (amount <= 0 || amount > f.capturable)
        return rejected('InvalidAmount', `Capturable: ${f.capturable} (Stripe minor units), requested: ${amount}.`);
      const multicapture = deps.config.stripe.multicapture && amount < f.capturable;
      return perform(
        deps,
        payment,
        'Charge',
        'capture',
        amount,
        (key) =>
          deps.stripe.paymentIntents.capture(
            paymentIntentId,
            {
              amount_to_capture: amount,
              ...(multicapture ? { final_capture: false } : {}),
              expand: ['latest_charge'],
            },
            { idempotencyKey: key },
          ),
        snapshot,
      );
    }
    case 'refundPayment': {
      if (action.amount.currencyCode !== currency)
        return rejected('InvalidOperation', `The payment is in ${currency}.`);
      const amount = money(action.amount.centAmount);
      // Only a refund this connector made (its metadata) can be an earlier attempt of this request;
      // one made in the dashboard for the same amount is another refund.
      const unrecordedRefund = (snapshot.refunds ?? []).find(
        (r) =>
          r.amount === amount &&
          r.status !== 'failed' &&
          r.metadata?.[METADATA.paymentId] === payment.id &&
          (r.metadata?.[METADATA.transactionId] ?? undefined) === action.transactionId &&
          !payment.transactions.some((t) => t.interactionId === r.id),
      );
      if (unrecordedRefund) return catchUp(deps, payment, snapshot, unrecordedRefund.status ?? undefined);
      if (amount <= 0 || amount > f.refundable)
        return rejected('InvalidAmount', `Refundable: ${f.refundable} (Stripe minor units), requested: ${amount}.`);
      if (action.transactionId) {
        const capture = payment.transactions.find((t) => t.id === action.transactionId && t.type === 'Charge');
        if (!capture)
          return rejected('InvalidOperation', `Transaction ${action.transactionId} is not a capture of this payment.`);
        const refundedOnCapture = (snapshot.refunds ?? [])
          .filter(
            (r) =>
              r.metadata?.[METADATA.transactionId] === capture.id && r.status !== 'failed' && r.status !== 'canceled',
          )
          .reduce((sum, r) => sum + r.amount, 0);
        const capLeft = money(capture.amount.centAmount) - refundedOnCapture;
        if (amount > capLeft)
          return rejected('InvalidAmount', `Refundable on capture ${capture.id}: ${capLeft}, requested: ${amount}.`);
      }
      return refund(amount, action.transactionId);
    }
    case 'cancelPayment':
      return cancel(deps, payment, snapshot);
    case 'reversePayment':
      if (f.refundable > 0) return refund(f.refundable);
      if (snapshot.paymentIntent.status === 'requires_capture') return cancel(deps, payment, snapshot);
      return rejected(
        'InvalidOperation',
        'Nothing to reverse: nothing was captured (or all was refunded) and no authorization is open.',
      );
  }
}

function cancel(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
): Promise<ModifyResult> | ModifyResult {
  const pi = snapshot.paymentIntent;
  const released = payment.transactions.some((t) => t.type === 'CancelAuthorization' && t.state === 'Success');
  if (pi.status === 'canceled' && !released) return catchUp(deps, payment, snapshot);
  // Cancelling a cancelled authorization again (a retried request): the state is reached.
  if (pi.status === 'canceled' && released) return { outcome: 'approved' };
  if (pi.status !== 'requires_capture')
    return rejected(
      'InvalidOperation',
      `Nothing to cancel: the payment is ${pi.status}${pi.status === 'succeeded' ? '; refund it instead' : ''}.`,
    );
  return perform(
    deps,
    payment,
    'CancelAuthorization',
    'cancel',
    pi.amount_capturable,
    (key) =>
      deps.stripe.paymentIntents.cancel(
        pi.id,
        { cancellation_reason: 'requested_by_customer', expand: ['latest_charge'] },
        { idempotencyKey: key },
      ),
    snapshot,
  );
}

/** What commercetools recorded of a transaction type, in Stripe's minor unit. */
function recorded(payment: Payment, type: TxType, money: (centAmount: number) => number): number {
  return money(
    payment.transactions
      .filter((t) => t.type === type && (t.state === 'Success' || t.state === 'Pending'))
      .reduce((sum, t) => sum + t.amount.centAmount, 0),
  );
}

/**
 * Stripe already shows exactly the change this request asks for, and commercetools does not:
 * an earlier attempt of the same request reached Stripe but could not be recorded. Record it
 * now and answer as that attempt would have; Stripe is not called again.
 */
async function catchUp(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  refundStatus?: string,
): Promise<ModifyResult> {
  await deps.serial.serially(snapshot.paymentIntent.id, () => applySnapshot(deps.ct, payment, snapshot));
  deps.log.info(
    { paymentId: payment.id, paymentIntentId: snapshot.paymentIntent.id },
    'operation already done at Stripe: recorded',
  );
  return { outcome: refundStatus ? refundOutcome(refundStatus) : 'approved' };
}

/** Runs one Stripe write, then records what Stripe says (or the refusal). */
async function perform(
  deps: PaymentsDeps,
  payment: Payment,
  type: TxType,
  name: string,
  amount: number,
  call: (idempotencyKey: string) => Promise<Stripe.PaymentIntent | Stripe.Refund>,
  /** What Stripe showed before: with a PaymentIntent answer, its lists are reused, not read again. */
  before?: PaymentIntentSnapshot,
): Promise<ModifyResult> {
  const earlier = payment.transactions.filter((t) => t.type === type).length;
  const key = `ct-op:${payment.id}:${name}:${amount}:${earlier}`;
  const paymentIntentId = payment.interfaceId!;
  let result: Stripe.PaymentIntent | Stripe.Refund;
  try {
    result = await call(key);
  } catch (error) {
    if (
      !(error instanceof Stripe.errors.StripeError) ||
      error.type === 'StripeConnectionError' ||
      error.type === 'StripeAPIError' ||
      error.type === 'StripeRateLimitError'
    ) {
      throw error;
    }
    const code = error.code ?? error.type;
    const centAmount = fromStripeAmount(
      amount,
      payment.amountPlanned.currencyCode,
      payment.amountPlanned.fractionDigits,
    ).centAmount;
    await deps.ct.updatePayment(payment, (current) =>
      current.transactions.some((t) => t.interactionId === `failed:${key}`)
        ? []
        : [
            {
              action: 'addTransaction',
              transaction: {
                type,
                state: 'Failure',
                amount: { centAmount, currencyCode: current.amountPlanned.currencyCode },
                interactionId: `failed:${key}`,
                timestamp: new Date().toISOString(),
              },
            },
            { action: 'setStatusInterfaceText', interfaceText: `${name} refused by Stripe: ${code}` },
          ],
    );
    deps.log.warn({ paymentId: payment.id, paymentIntentId, operation: name, code }, 'operation refused by Stripe');
    return rejected(code, error.message);
  }
  // A capture or cancel answers the PaymentIntent itself (its charge expanded), and changes no
  // refund or dispute: nothing to read again. A refund answers the refund: read what it changed.
  const answered = result.object === 'payment_intent' ? result : undefined;
  const answeredCharge =
    answered && typeof answered.latest_charge === 'object' && answered.latest_charge
      ? answered.latest_charge
      : undefined;
  const snapshot =
    answered && before && (answeredCharge || !answered.latest_charge)
      ? {
          paymentIntent: answered,
          ...(answeredCharge ? { charge: answeredCharge } : {}),
          ...(before.refunds ? { refunds: before.refunds } : {}),
          ...(before.disputes ? { disputes: before.disputes } : {}),
        }
      : await loadSnapshot(deps.stripe, paymentIntentId, {
          refunds: true,
          disputes: payment.transactions.some((t) => t.type === 'Chargeback'),
        });
  await deps.serial.serially(paymentIntentId, () => applySnapshot(deps.ct, payment, snapshot));
  deps.log.info({ paymentId: payment.id, paymentIntentId, operation: name, amount }, 'operation performed');
  return { outcome: result.object === 'refund' ? refundOutcome(result.status) : 'approved' };
}
