import type Stripe from 'stripe';

/**
 * The events the processor subscribes to (post-deploy registers exactly these). Each one only
 * triggers a sync of its PaymentIntent: the handling never depends on which event arrived or
 * in which order.
 */
export const HANDLED_EVENTS = [
  'payment_intent.succeeded',
  'payment_intent.processing',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_action',
  'payment_intent.amount_capturable_updated',
  'payment_intent.partially_funded',
  'charge.succeeded',
  'charge.captured',
  'charge.failed',
  'charge.expired',
  'charge.refunded',
  'charge.updated',
  'charge.refund.updated',
  'refund.created',
  'refund.updated',
  'refund.failed',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
] as const satisfies readonly Stripe.WebhookEndpointCreateParams.EnabledEvent[];

export type HandledEvent = (typeof HANDLED_EVENTS)[number];

export function isHandled(type: string): type is HandledEvent {
  return (HANDLED_EVENTS as readonly string[]).includes(type);
}

/** What the event is about: the PaymentIntent id, or the charge to look it up from. */
export interface EventSubject {
  paymentIntentId?: string;
  chargeId?: string;
  refunds: boolean;
  disputes: boolean;
}

const idOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : value && typeof value === 'object' && 'id' in value
      ? String((value as { id: unknown }).id)
      : undefined;

export function subjectOf(event: Stripe.Event): EventSubject {
  const object = event.data.object as unknown as Record<string, unknown>;
  const type = event.type;
  const refunds = type.startsWith('refund.') || type.startsWith('charge.refund') || type === 'charge.refunded';
  const disputes = type.startsWith('charge.dispute.');
  if (object.object === 'payment_intent') return { paymentIntentId: idOf(object.id), refunds, disputes };
  const paymentIntentId = idOf(object.payment_intent);
  // A charge names its PaymentIntent itself; refunds and disputes may only name their charge.
  const chargeId = object.object === 'charge' ? undefined : idOf(object.charge);
  return { ...(paymentIntentId ? { paymentIntentId } : {}), ...(chargeId ? { chargeId } : {}), refunds, disputes };
}
