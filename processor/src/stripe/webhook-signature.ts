import Stripe from 'stripe';
import { invalidInput, invalidSignature } from '../core/errors';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A signed body is still only trusted to be an event once it has an event's shape. */
function requireEventShape(event: unknown): Stripe.Event {
  if (
    !isObject(event) ||
    typeof event.id !== 'string' ||
    typeof event.type !== 'string' ||
    typeof event.livemode !== 'boolean' ||
    !isObject(event.data) ||
    !isObject(event.data.object)
  ) {
    throw invalidInput('The body is not a Stripe event.');
  }
  return event as unknown as Stripe.Event;
}

/**
 * The event of a webhook request whose raw `body` is signed by one of `secrets` (the current one,
 * and the previous one during a rotation) within `toleranceSeconds`.
 */
export function verifyWebhook(
  body: Buffer,
  signature: string,
  secrets: readonly string[],
  toleranceSeconds = 300,
): Stripe.Event {
  for (const secret of secrets) {
    let event: unknown;
    try {
      event = Stripe.webhooks.constructEvent(body, signature, secret, toleranceSeconds);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) {
        throw invalidInput('The event is not valid JSON.');
      }
      continue;
    }
    return requireEventShape(event);
  }
  throw invalidSignature('The Stripe signature does not match or is too old.');
}
