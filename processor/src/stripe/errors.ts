import Stripe from 'stripe';

/**
 * What a Stripe error means for the caller:
 * - `refused`: Stripe looked at the request and said no (card declined, amount too large, wrong
 *   state). Retrying the same request gets the same answer; it is an outcome, not a failure.
 * - `not-found`: the object does not exist in this account. Retrying cannot help.
 * - `in-progress`: the same idempotency key is being used by a request still running (or it was
 *   used with other parameters); retry later.
 * - `retryable`: Stripe could not be reached or answered 5xx / 429: the request may or may not
 *   have been done; retry it with the same idempotency key.
 * - `misconfigured`: the keys are wrong; no retry helps until an operator fixes them.
 */
export type StripeErrorKind = 'refused' | 'not-found' | 'in-progress' | 'retryable' | 'misconfigured';

export function isStripeError(error: unknown): error is InstanceType<typeof Stripe.errors.StripeError> {
  return error instanceof Stripe.errors.StripeError;
}

/** Undefined when the error is not Stripe's (a bug or another upstream). */
export function classifyStripeError(error: unknown): StripeErrorKind | undefined {
  if (!isStripeError(error)) return undefined;
  switch (error.type) {
    case 'StripeConnectionError':
    case 'StripeAPIError':
    case 'StripeRateLimitError':
      return 'retryable';
    case 'StripeIdempotencyError':
      return 'in-progress';
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return 'misconfigured';
    default:
      if (error.statusCode === 404 || error.code === 'resource_missing') return 'not-found';
      if (error.statusCode === 409) return 'in-progress';
      if (error.statusCode !== undefined && error.statusCode >= 500) return 'retryable';
      return 'refused';
  }
}
