import { classifyStripeError, isStripeError } from '../stripe/errors';
import type { TxType } from '../sync/desired-transactions';
import { rejected, type ModifyResult, type Performed } from './types';

/**
 * Runs a Stripe write. A refusal (Stripe looked at it and said no) is an outcome: answered
 * `rejected` with Stripe's code and recorded as a Failure transaction (D02). Anything that may
 * have been done, or may work later, is thrown: the caller answers 5xx and its retry repeats the
 * write with the same key.
 */
export async function stripeWrite(
  refusal: { type: TxType; amount: number; key: string },
  write: () => Promise<Performed>,
): Promise<Performed> {
  try {
    return await write();
  } catch (error) {
    if (classifyStripeError(error) !== 'refused' || !isStripeError(error)) throw error;
    const code = error.code ?? error.type;
    return { answer: rejected(code, error.message), refusal: { ...refusal, code } };
  }
}

/** A refund succeeds at once, later, or not at all. */
export const refundOutcome = (status: string | null): ModifyResult['outcome'] =>
  status === 'succeeded' ? 'approved' : status === 'failed' || status === 'canceled' ? 'rejected' : 'received';
