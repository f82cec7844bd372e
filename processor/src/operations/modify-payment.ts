import type { Payment, PaymentUpdateAction } from '@commercetools/platform-sdk';
import { PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import { invalidInput, retryLater } from '../core/errors';
import { namesPayment } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';
import { fromStripeAmount, toStripeAmount } from '../core/money';
import { loadSnapshot } from '../stripe/snapshot';
import { converge } from '../sync/converge';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';
import { cancel } from './cancel';
import { capture } from './capture';
import { refund, refundAnswer } from './refund';
import { answerAction, findRequest, identify, recordRequest, type RecordedRequest } from './requests';
import { reverse } from './reverse';
import {
  rejected,
  type ModifyAction,
  type ModifyResult,
  type OperationContext,
  type OperationHandler,
  type Performed,
} from './types';

export type { ModifyAction, ModifyResult } from './types';

const HANDLERS: { [K in ModifyAction['action']]: OperationHandler<Extract<ModifyAction, { action: K }>> } = {
  capturePayment: capture,
  refundPayment: refund,
  cancelPayment: cancel,
  reversePayment: reverse,
};

/** Captures (and their Stripe keys) cannot be checked at Stripe after it forgot the key. */
const KEY_LIFETIME_MS = 23 * 3_600_000;

/**
 * `POST /operations/payment-intents/:paymentId`, one action. The request is checked against
 * Stripe's state (nothing is called for an over-capture or over-refund), recorded on the
 * commercetools payment, performed at Stripe with an idempotency key made from the record, and
 * answered in the same write that records what Stripe did. A retry of the same request (same
 * `Idempotency-Key`, or without one, the same body while the first is unanswered) repeats the same
 * Stripe write, so money moves once; see docs/payment-model.md for the caller's contract.
 */
export async function modifyPayment(
  deps: PaymentsDeps,
  paymentId: string,
  action: ModifyAction,
  options: { idempotencyKey?: string } = {},
): Promise<ModifyResult> {
  const arrivedAt = Date.now();
  const identity = identify(action, options.idempotencyKey);
  const payment = await deps.ct.getPayment(paymentId);
  const paymentIntentId = payment.interfaceId;
  if (!paymentIntentId?.startsWith('pi_'))
    return rejected('InvalidOperation', 'The payment has no Stripe PaymentIntent.');

  const earlier = findRequest(payment, identity, arrivedAt);
  if (earlier && earlier.identity.body !== identity.body)
    throw invalidInput('This Idempotency-Key was used for another request on this payment.');
  if (earlier?.answer) return earlier.answer;

  const snapshot = await loadSnapshot(deps.stripe, paymentIntentId, {
    refunds: true,
    disputes: payment.transactions.some((t) => t.type === 'Chargeback'),
  });
  if (!namesPayment(snapshot.paymentIntent.metadata, payment)) {
    return rejected('InvalidOperation', 'The PaymentIntent does not belong to this payment.');
  }
  const { currencyCode, fractionDigits } = payment.amountPlanned;
  const ctx: OperationContext = {
    deps,
    payment,
    paymentIntentId,
    snapshot,
    toStripe: (centAmount) => toStripeAmount({ centAmount, currencyCode, fractionDigits }).amount,
  };
  const handler = HANDLERS[action.action] as OperationHandler<ModifyAction>;

  const sameRequest = (found: RecordedRequest): RecordedRequest => {
    if (found.identity.body !== identity.body)
      throw invalidInput('This Idempotency-Key was used for another request on this payment.');
    return found;
  };
  let request = earlier;
  if (!request) {
    const decided = handler.plan(ctx, action);
    if ('rejection' in decided) {
      // What makes Stripe's state refuse this request may be its twin's write (the same request
      // sent to another replica at the same moment): then it gets the twin's answer.
      const twin = findRequest(await deps.ct.getPayment(paymentId), identity, arrivedAt);
      if (!twin) return decided.rejection;
      request = sameRequest(twin);
    } else if ('done' in decided) {
      await deps.serial.serially(paymentIntentId, () => converge(deps, payment.id, paymentIntentId, { snapshot }));
      return decided.done;
    } else {
      if (!(await deps.customTypes()).interactions) {
        throw retryLater(
          `Operations are recorded with the interface interaction type ${PaymentInterfaceInteractionTypeKey}, which is missing: run post-deploy.`,
        );
      }
      request = sameRequest(await recordRequest(deps.ct, payment, identity, action, decided.plan, arrivedAt));
    }
    if (request.answer) return request.answer;
  } else if (action.action === 'capturePayment' && Date.now() - Date.parse(request.createdAt) > KEY_LIFETIME_MS) {
    return rejected(
      'RequestExpired',
      'An earlier attempt of this capture is unanswered and older than Stripe keeps idempotency keys: check the payment in Stripe before capturing again.',
    );
  }

  const key = `ct-op:${payment.id}:${request.id}`;
  const performed = await handler.perform(ctx, request.plan, key, request.id);
  const answered = request;
  // The answer is what Stripe shows last (a refund that failed meanwhile is not approved), written
  // in the same write as the outcome; a conflict re-reads Stripe and decides it again.
  const answerFrom = (snapshot: PaymentIntentSnapshot): ModifyResult => {
    const refundNow = snapshot.refunds?.find((r) => r.id === performed.refundId);
    return refundNow ? refundAnswer(refundNow) : performed.answer;
  };
  const converged = await deps.serial.serially(paymentIntentId, () =>
    converge(deps, payment.id, paymentIntentId, {
      ...(performed.snapshot ? { snapshot: performed.snapshot } : {}),
      ...(performed.capture ? { capture: performed.capture } : {}),
      hints: { refunds: true },
      also: (current, snapshot) => [
        ...failureActions(current, performed),
        ...answerAction(current, answered, answerFrom(snapshot)),
      ],
    }),
  );
  const answer = answerFrom(converged.snapshot);
  deps.log.info(
    {
      paymentId: payment.id,
      paymentIntentId,
      operation: action.action,
      request: request.id,
      outcome: answer.outcome,
    },
    'operation performed',
  );
  return answer;
}

/** A Stripe refusal as a Failure transaction with Stripe's code (D02), once. */
function failureActions(current: Payment, performed: Performed): PaymentUpdateAction[] {
  const refusal = performed.refusal;
  if (!refusal) return [];
  const interactionId = `failed:${refusal.key}`;
  if (current.transactions.some((t) => t.interactionId === interactionId)) return [];
  const { currencyCode, fractionDigits } = current.amountPlanned;
  return [
    {
      action: 'addTransaction',
      transaction: {
        type: refusal.type,
        state: 'Failure',
        amount: { centAmount: fromStripeAmount(refusal.amount, currencyCode, fractionDigits).centAmount, currencyCode },
        interactionId,
        timestamp: new Date().toISOString(),
      },
    },
    { action: 'setStatusInterfaceText', interfaceText: `${refusal.type} refused by Stripe: ${refusal.code}` },
  ];
}
