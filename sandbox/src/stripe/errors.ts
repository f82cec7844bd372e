import type Stripe from 'stripe';

export type StripeErrorType =
  | 'invalid_request_error'
  | 'card_error'
  | 'api_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'authentication_error';

/** Errors shaped as Stripe answers them: `{error: {type, code, message, param, ...}}` + status. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly extra: { code?: string; param?: string; decline_code?: string; [key: string]: unknown } = {},
  ) {
    super(message);
  }

  body(): { error: Record<string, unknown> } {
    const docUrl = this.extra.code
      ? { doc_url: `https://stripe.com/docs/error-codes/${this.extra.code.replace(/_/g, '-')}` }
      : {};
    return { error: { type: this.type, message: this.message, ...docUrl, ...this.extra } };
  }
}

export const invalid = (message: string, param?: string, code?: string) =>
  new StripeApiError(400, 'invalid_request_error', message, { ...(param ? { param } : {}), ...(code ? { code } : {}) });

export const missing = (resource: string, id: string, param = 'id') =>
  new StripeApiError(404, 'invalid_request_error', `No such ${resource}: '${id}'`, { code: 'resource_missing', param });

const PAST: Record<string, string> = { cancel: 'canceled', capture: 'captured', confirm: 'confirmed' };

/**
 * 400 `payment_intent_unexpected_state`, worded as Stripe words it and carrying the
 * PaymentIntent as it is now, which Stripe adds to every PaymentIntent error.
 */
export function unexpectedState(pi: Stripe.PaymentIntent, action: string, allowed: readonly string[]): StripeApiError {
  const done = PAST[action] ?? `${action}d`;
  return new StripeApiError(
    400,
    'invalid_request_error',
    `This PaymentIntent could not be ${done} because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${done}: ${allowed.join(', ')}.`,
    { code: 'payment_intent_unexpected_state', payment_intent: structuredClone(pi) },
  );
}

/** Default body of an injected Stripe fault. */
export function defaultStripeFaultBody(status: number): unknown {
  if (status === 429) {
    return {
      error: {
        type: 'rate_limit_error',
        code: 'rate_limit',
        message: 'Too many requests hit the API too quickly (injected by the sandbox).',
      },
    };
  }
  if (status === 401)
    return { error: { type: 'invalid_request_error', message: 'Invalid API Key provided (injected by the sandbox).' } };
  if (status === 409)
    return {
      error: {
        type: 'invalid_request_error',
        code: 'lock_timeout',
        message: 'This object cannot be accessed right now (injected by the sandbox).',
      },
    };
  if (status >= 500)
    return { error: { type: 'api_error', message: 'An unknown error occurred (injected by the sandbox).' } };
  return { error: { type: 'invalid_request_error', message: `Injected fault ${status}.` } };
}
