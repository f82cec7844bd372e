import type { Payment } from '@commercetools/platform-sdk';
import type { PaymentsDeps } from '../core/deps';
import type { TxType } from '../sync/desired-transactions';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';

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

export const rejected = (code: string, message: string): ModifyResult => ({
  outcome: 'rejected',
  errors: [{ code, message }],
});

/** What every action needs: the payment, Stripe's state before, money in Stripe's minor unit. */
export interface OperationContext {
  deps: PaymentsDeps;
  payment: Payment;
  paymentIntentId: string;
  snapshot: PaymentIntentSnapshot;
  /** commercetools cents of the payment's currency to Stripe's minor unit. */
  toStripe(centAmount: number): number;
}

/** The outcome of the Stripe write(s) of an operation. */
export interface Performed {
  answer: ModifyResult;
  /** Stripe's state after the write, when its answer showed it whole (else it is read again). */
  snapshot?: PaymentIntentSnapshot;
  /** The capture made: its amount and the charge's captured total after it (Stripe minor units). */
  capture?: { amount: number; total: number };
  /** The refund made (or found made): the answer follows its status as Stripe shows it last. */
  refundId?: string;
  /** A refusal by Stripe, recorded as a Failure transaction of this type (D02). */
  refusal?: { type: TxType; amount: number; key: string; code: string };
}

/**
 * One action: `plan` checks the request against Stripe's state and decides the Stripe parameters,
 * or rejects it, or finds its effect already there (`done`): in those two cases nothing is
 * recorded and nothing moves. `perform` makes the Stripe write(s) of a recorded plan with keys
 * derived from `key`, the same for every retry.
 */
export interface OperationHandler<A extends ModifyAction> {
  plan(
    ctx: OperationContext,
    action: A,
  ): { plan: Record<string, unknown> } | { rejection: ModifyResult } | { done: ModifyResult };
  perform(ctx: OperationContext, plan: Record<string, unknown>, key: string, requestId: string): Promise<Performed>;
}
